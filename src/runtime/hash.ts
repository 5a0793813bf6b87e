/**
 * A short, stable fingerprint of a string. The workbook stores it next to a learner's saved edit so that, when the
 * lesson's own code for that cell changes in a later version of the site, the cell can tell and ask the learner
 * what to keep (see storage.ts). It is not cryptographic: it only has to change when the text changes.
 */

/**
 * cyrb53: a fast 53-bit string hash with good spread (two 32-bit multiply-xorshift lanes combined).
 * Returns 14 hex digits; the same input always gives the same output, in Node and in every browser.
 */
export function hashCode(text: string, seed = 0): string {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  const value = 4294967296 * (2097151 & h2) + (h1 >>> 0);
  return value.toString(16).padStart(14, '0');
}
