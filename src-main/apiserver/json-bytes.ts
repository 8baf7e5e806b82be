/**
 * `${open}${parts.join(',')}${close}` as UTF-8, written piece by piece into one buffer: for a 2 MB list this takes
 * a fraction of the time of joining into one string and encoding that again, and leaves no 2 MB string behind.
 */
export function jsonArrayBytes(open: string, parts: string[], close: string): Buffer {
  // Sized for ASCII (one byte per UTF-16 unit), which JSON from the store nearly always is. Any other character takes
  // two to four bytes: with four bytes to spare, a part holding one writes more bytes than its length even when the
  // buffer cuts it short, so the first such part is seen, and the text is sized exactly instead.
  let size = open.length + close.length + Math.max(0, parts.length - 1);
  for (let i = 0; i < parts.length; i++) size += parts[i].length;
  const out = Buffer.allocUnsafe(size + 4);
  let at = out.write(open, 0);
  let ascii = at === open.length;
  for (let i = 0; ascii && i < parts.length; i++) {
    if (i > 0) out[at++] = 0x2c; // ','
    const n = out.write(parts[i], at);
    ascii = n === parts[i].length;
    at += n;
  }
  if (ascii && out.write(close, at) === close.length) return out.subarray(0, size);
  return exactly(open, parts, close);
}

function exactly(open: string, parts: string[], close: string): Buffer {
  let size = Buffer.byteLength(open) + Buffer.byteLength(close) + Math.max(0, parts.length - 1);
  for (let i = 0; i < parts.length; i++) size += Buffer.byteLength(parts[i]);
  const out = Buffer.allocUnsafe(size);
  let at = out.write(open, 0);
  for (let i = 0; i < parts.length; i++) {
    if (i > 0) out[at++] = 0x2c;
    at += out.write(parts[i], at);
  }
  out.write(close, at);
  return out;
}
