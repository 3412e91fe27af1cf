import { describe, expect, it } from 'vitest'
import {
  base32,
  clusterPolicyChain,
  endpointChain,
  externalChain,
  firewallChain,
  localPolicyChain,
} from './chain-names'
import { sha256 } from './sha256'

const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, '0')).join('')

describe('sha256', () => {
  it.each([
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    [
      'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq',
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    ],
    ['a'.repeat(1000), '41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3'],
    ['héllo wörld', 'a1003f7d04a4115711d0b48a2eaf1359ce565d2d2a6fd65098dfcffadeeef59f'],
    // Padding boundaries: 55 bytes fit one block, 56 need two, 64 is a whole block.
    ['x'.repeat(55), 'd5e285683cd4efc02d021a5c62014694958901005d6f71e89e0989fac77e4072'],
    ['x'.repeat(56), '04c26261370ee7541549d16dee320c723e3fd14671e66a099afe0a377c16888e'],
    ['x'.repeat(64), '7ce100971f64e7001e8fe5a51973ecdfe1ced42befe7ee8d5fd6219506b5393c'],
  ])('hashes %j', (input, want) => {
    expect(hex(sha256(input))).toBe(want)
  })
})

describe('base32', () => {
  it.each([
    ['f', 'MY'],
    ['fo', 'MZXQ'],
    ['foo', 'MZXW6'],
    ['foob', 'MZXW6YQ'],
    ['fooba', 'MZXW6YTB'],
    ['foobar', 'MZXW6YTBOI'],
  ])('encodes %s as RFC 4648 does', (input, want) => {
    expect(base32(new TextEncoder().encode(input))).toBe(want)
  })
})

// The names upstream's proxier_test.go expects (TestOverallIPTablesRules and friends).
describe('chain names', () => {
  it.each([
    [clusterPolicyChain('ns1/svc1:p80', 'tcp'), 'KUBE-SVC-XPGD46QRK7WJZT7O'],
    [clusterPolicyChain('ns2/svc2:p80', 'tcp'), 'KUBE-SVC-GNZBNJ2PO5MGZ6GT'],
    [externalChain('ns2/svc2:p80', 'tcp'), 'KUBE-EXT-GNZBNJ2PO5MGZ6GT'],
    [localPolicyChain('ns2/svc2:p80', 'tcp'), 'KUBE-SVL-GNZBNJ2PO5MGZ6GT'],
    [firewallChain('ns5/svc5:p80', 'tcp'), 'KUBE-FW-NUKIZ6OKUXPJNT4C'],
    [clusterPolicyChain('ns4/svc4:p80', 'tcp'), 'KUBE-SVC-4SW47YFZTEDKD3PK'],
    [endpointChain('ns1/svc1:p80', 'tcp', '10.180.0.1:80'), 'KUBE-SEP-SXIVWICOYRO3J4NJ'],
    [endpointChain('ns2/svc2:p80', 'tcp', '10.180.0.2:80'), 'KUBE-SEP-RS4RBKLTHTF2IUXJ'],
    [endpointChain('ns4/svc4:p80', 'tcp', '10.180.0.5:80'), 'KUBE-SEP-C6EBXVWJJZMIWKLZ'],
    [endpointChain('ns5/svc5:p80', 'tcp', '10.180.0.3:80'), 'KUBE-SEP-I77PXRDZVX7PMWMN'],
  ])('%s', (got, want) => {
    expect(got).toBe(want)
  })
})
