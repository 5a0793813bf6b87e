/** Small numeric helpers for the benchmark: medians and human-readable figures. */

/** The median of a list of numbers (NaN for an empty list). */
export function median(values) {
  if (!values.length) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** A number with about three significant figures: 0.0123, 1.23, 123, 1234. */
export function sig(value, digits = 3) {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  if (value === 0) return '0';
  const magnitude = Math.floor(Math.log10(Math.abs(value)));
  const decimals = Math.max(0, digits - 1 - magnitude);
  return value.toFixed(Math.min(decimals, 6));
}

/** Seconds as "123 ms" below one second, "1.23 s" above. */
export function duration(seconds) {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '–';
  return seconds < 1 ? `${sig(seconds * 1000)} ms` : `${sig(seconds)} s`;
}

/** Bytes as "12.3 KB" (1 KB = 1024 bytes). */
export function kib(bytes) {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '–';
  return bytes < 1024 * 1024 ? `${sig(bytes / 1024)} KB` : `${sig(bytes / 1024 / 1024)} MB`;
}

/** A ratio as "0.123×". */
export function ratio(value) {
  return Number.isFinite(value) ? `${sig(value)}×` : '–';
}
