// Serves the fake cluster over HTTP so real kubectl 1.32 can be run against the
// same answers the unit tests give the browser kubectl (to write expectations).
// A Node tool, so plain JS (the type-check has no Node types); run with tsx:
//   npx tsx test/unit/web-kubectl/serve-fake.mjs 18080 [rich|watch|watch-big] &
//   kubectl --server http://127.0.0.1:18080 get pods
import { createServer } from 'node:http'
import { decodeProtobufObject } from '../../../worker/apiserver/protobuf/k8s-proto'
import { demoCluster, richCluster, scriptBigWatch, scriptPodWatch } from './fixtures'

const port = Number(process.argv[2] ?? 18080)
const cluster = process.argv[3] === 'rich' ? richCluster() : demoCluster()
if (process.argv[3] === 'watch') scriptPodWatch(cluster)
if (process.argv[3] === 'watch-big') scriptBigWatch(cluster)
createServer(async (req, res) => {
  const chunks = []
  for await (const c of req) chunks.push(c)
  const raw = Buffer.concat(chunks)
  let body = raw.length ? raw.toString('utf8') : undefined
  const type = String(req.headers['content-type'] ?? '')
  try {
    if (type.startsWith('application/vnd.kubernetes.protobuf')) body = JSON.stringify(decodeProtobufObject(new Uint8Array(raw)))
  } catch (err) {
    res.writeHead(400, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message: String(err), reason: 'BadRequest', code: 400 }))
    return
  }
  const headers = {}
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v
  if (type.startsWith('application/vnd.kubernetes.protobuf')) headers['content-type'] = 'application/json'
  const r = await cluster.fetch(`http://fake${req.url}`, { method: req.method, headers, body })
  const last = cluster.requests[cluster.requests.length - 1]
  console.error(req.method, req.url, type, last?.body ? JSON.stringify(last.body) : '')
  res.writeHead(r.status, Object.fromEntries(r.headers))
  // Stream the body as it comes (watches).
  if (r.body) for await (const chunk of r.body) res.write(chunk)
  res.end()
}).listen(port, '127.0.0.1')
