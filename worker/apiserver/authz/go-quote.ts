// Go's %q for strings (strconv.Quote): the API server's messages quote names, users and
// paths with it, so a name with a quote or a control character reads as it does upstream.
// JSON.stringify differs for DEL, C1 controls, U+2028/9 and the \x / \u forms.

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u
const SHORT: Record<string, string> = {
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
}

export function goQuote(s: string): string {
  let out = '"'
  for (const ch of s) {
    if (ch === '"' || ch === '\\') out += '\\' + ch
    else if (PRINTABLE.test(ch)) out += ch
    else if (SHORT[ch]) out += SHORT[ch]
    else {
      const cp = ch.codePointAt(0)!
      if (cp < 0x80) out += '\\x' + hex(cp, 2)
      else if (cp >= 0xd800 && cp <= 0xdfff)
        out += '\ufffd' // a lone surrogate never came from UTF-8: decoding gave U+FFFD
      else if (cp < 0x10000) out += '\\u' + hex(cp, 4)
      else out += '\\U' + hex(cp, 8)
    }
  }
  return out + '"'
}

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0')
