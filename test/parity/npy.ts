// A minimal .npy reader and writer (NumPy's format: magic, version, a Python-dict header, then
// raw C-order data). Only little-endian and single-byte descrs, as the parity fixtures use.

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

export interface Npy {
  /** NumPy's type string: '<f4', '|b1', '<u2', ... */
  descr: string;
  shape: number[];
  /** The raw element bytes (C order), a copy aligned for any TypedArray. */
  data: Uint8Array;
}

/** Bytes per element of a descr such as '<f4' or '|b1'. */
export function descrItemsize(descr: string): number {
  const m = /^[<|]([biufc])(\d+)$/.exec(descr);
  if (!m) throw new Error(`npy: unsupported descr ${JSON.stringify(descr)} (little-endian numeric types only)`);
  return Number(m[2]);
}

/** Reads the .npy record that starts at `offset`; `end` is where the next record would start. */
export function readNpy(bytes: Uint8Array, offset = 0): { npy: Npy; end: number } {
  if (!MAGIC.every((b, i) => bytes[offset + i] === b)) throw new Error(`npy: bad magic at byte ${offset}`);
  const major = bytes[offset + 6]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset);
  const [headerLength, headerStart] = major === 1 ? [view.getUint16(8, true), 10] : [view.getUint32(8, true), 12];
  const header = new TextDecoder('latin1').decode(bytes.subarray(offset + headerStart, offset + headerStart + headerLength));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) throw new Error(`npy: cannot parse header ${header}`);
  if (fortran === 'True') throw new Error('npy: Fortran-order arrays are not supported');
  const shape = shapeText.split(',').map((s) => s.trim()).filter((s) => s !== '').map(Number);
  const size = shape.reduce((a, b) => a * b, 1) * descrItemsize(descr);
  const start = offset + headerStart + headerLength;
  if (start + size > bytes.length) throw new Error(`npy: truncated data (need ${size} bytes at ${start}, have ${bytes.length - start})`);
  return { npy: { descr, shape, data: bytes.slice(start, start + size) }, end: start + size };
}

/** A version 1.0 .npy file; the header is padded so that the data starts on a 64-byte boundary. */
export function writeNpy(npy: Npy): Uint8Array {
  const shape = npy.shape.length === 1 ? `(${npy.shape[0]},)` : `(${npy.shape.join(', ')})`;
  let header = `{'descr': '${npy.descr}', 'fortran_order': False, 'shape': ${shape}, }`;
  const unpadded = MAGIC.length + 4 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const out = new Uint8Array(MAGIC.length + 4 + header.length + npy.data.length);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  out.set(npy.data, 10 + header.length);
  return out;
}
