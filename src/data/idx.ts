// Parser for the IDX format MNIST ships in: magic [0, 0, type, ndims], ndims big-endian uint32 sizes,
// then the data. Only unsigned bytes (type 0x08) are needed here.

export interface IdxArray {
  readonly dims: readonly number[];
  readonly data: Uint8Array;
}

export function parseIdx(buf: Uint8Array, name = 'IDX'): IdxArray {
  if (buf.length < 4 || buf[0] !== 0 || buf[1] !== 0) throw new Error(`${name}: not an IDX file`);
  if (buf[2] !== 0x08) throw new Error(`${name}: element type 0x${buf[2]!.toString(16)} unsupported (need ubyte)`);
  const ndims = buf[3]!;
  const header = 4 + 4 * ndims;
  if (buf.length < header) throw new Error(`${name}: truncated header`);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const dims = Array.from({ length: ndims }, (_, i) => view.getUint32(4 + 4 * i, false));
  const size = dims.reduce((a, b) => a * b, 1);
  if (buf.length !== header + size) {
    throw new Error(`${name}: expected ${header + size} bytes for dims [${dims.join(', ')}], got ${buf.length}`);
  }
  return { dims, data: buf.subarray(header) };
}
