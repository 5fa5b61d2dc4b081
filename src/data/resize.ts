// Bilinear resampling of a single-channel image, half-pixel centres (like tf.image.resize with
// half_pixel_centers / OpenCV INTER_LINEAR), edges clamped.

export function resizeBilinear(
  src: ArrayLike<number>,
  srcWidth: number,
  srcHeight: number,
  dstWidth: number,
  dstHeight: number,
): Float32Array {
  if (src.length !== srcWidth * srcHeight) throw new RangeError('resizeBilinear: src size mismatch');
  if (!(dstWidth >= 1 && dstHeight >= 1)) throw new RangeError('resizeBilinear: empty destination');
  const out = new Float32Array(dstWidth * dstHeight);
  const sx = srcWidth / dstWidth;
  const sy = srcHeight / dstHeight;
  // Precompute column taps: they are the same for every row.
  const x0 = new Int32Array(dstWidth);
  const x1 = new Int32Array(dstWidth);
  const wx = new Float64Array(dstWidth);
  for (let x = 0; x < dstWidth; x++) {
    const fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), srcWidth - 1);
    x0[x] = Math.floor(fx);
    x1[x] = Math.min(x0[x]! + 1, srcWidth - 1);
    wx[x] = fx - x0[x]!;
  }
  for (let y = 0; y < dstHeight; y++) {
    const fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), srcHeight - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, srcHeight - 1);
    const wy = fy - y0;
    const r0 = y0 * srcWidth;
    const r1 = y1 * srcWidth;
    for (let x = 0; x < dstWidth; x++) {
      const a = x0[x]!;
      const b = x1[x]!;
      const w = wx[x]!;
      const top = src[r0 + a]! + (src[r0 + b]! - src[r0 + a]!) * w;
      const bot = src[r1 + a]! + (src[r1 + b]! - src[r1 + a]!) * w;
      out[y * dstWidth + x] = top + (bot - top) * wy;
    }
  }
  return out;
}
