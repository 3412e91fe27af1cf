// Who is asking, for the limits kept per client address (cluster creation, join
// codes): CF-Connecting-IP as Cloudflare sets it; the local server has none, so
// all of its clients are one address, "local".
export function clientAddress(req: Request): string {
  return req.headers.get('cf-connecting-ip') ?? 'local'
}
