// CRC-32C (Castagnoli), table-driven "slicing-by-8": eight 256-entry tables let the loop consume 8 bytes per step,
// about 3x the speed of the one-table loop here, which matters because replay checksums the whole file on every
// start. Castagnoli rather than the zlib polynomial: better error detection at WAL record sizes; etcd and LevelDB
// use it too.

const CASTAGNOLI_POLYNOMIAL_REVERSED = 0x82f63b78;
const SLICES = 8;

/** TABLES[k * 256 + b] is the CRC contribution of byte b followed by k zero bytes. */
const TABLES: Uint32Array = buildTables();

function buildTables(): Uint32Array {
  const tables = new Uint32Array(SLICES * 256);
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte;
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 1 ? (crc >>> 1) ^ CASTAGNOLI_POLYNOMIAL_REVERSED : crc >>> 1;
    }
    tables[byte] = crc >>> 0;
  }
  for (let slice = 1; slice < SLICES; slice++) {
    for (let byte = 0; byte < 256; byte++) {
      const previous = tables[(slice - 1) * 256 + byte]!;
      tables[slice * 256 + byte] = (previous >>> 8) ^ tables[previous & 0xff]!;
    }
  }
  return tables;
}

/**
 * CRC-32C of bytes[start, end). Chainable: `crc32c(b, 0, b.length, crc32c(a))` equals the CRC of a followed by b.
 */
export function crc32c(bytes: Uint8Array, start = 0, end = bytes.length, seed = 0): number {
  if (start < 0 || end > bytes.length || start > end) {
    throw new RangeError(`crc32c: range [${start}, ${end}) outside a buffer of ${bytes.length} bytes`);
  }
  const t = TABLES;
  let crc = ~seed >>> 0;
  let i = start;
  // Every index below is in range: i + 7 < end <= bytes.length, and table offsets are masked to a byte.
  for (; i + 8 <= end; i += 8) {
    const low = (crc ^ (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24))) >>> 0;
    crc =
      t[7 * 256 + (low & 0xff)]! ^
      t[6 * 256 + ((low >>> 8) & 0xff)]! ^
      t[5 * 256 + ((low >>> 16) & 0xff)]! ^
      t[4 * 256 + (low >>> 24)]! ^
      t[3 * 256 + bytes[i + 4]!]! ^
      t[2 * 256 + bytes[i + 5]!]! ^
      t[256 + bytes[i + 6]!]! ^
      t[bytes[i + 7]!]!;
  }
  for (; i < end; i++) crc = t[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return ~crc >>> 0;
}
