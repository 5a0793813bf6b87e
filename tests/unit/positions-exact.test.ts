/**
 * src/runtime/positions.ts on hand-made inputs whose answers are worked out by hand: the source-map decoder (VLQ
 * segments, one-field segments, bad characters), the look-up of where a generated column came from (exactly at a
 * segment, between two, before the first, on a line with none), and the way back through our own edits (insertions
 * and same-line replacements, several at one offset). A cell's error points at the learner's line and column only if
 * each of these is exact.
 */
import { describe, expect, it } from 'vitest';
import { applyEdits, decodeMappings, LineIndex, originalPosition } from '../../src/runtime/positions';

describe('decodeMappings', () => {
  it('decodes VLQ segments, carrying the source fields across lines and resetting the column on each', () => {
    // "AAAA": all deltas 0. "KAAK": column +5, source column +5. ";" ends the line; "AACA": next line, source line +1.
    expect(decodeMappings('AAAA,KAAK;AACA')).toEqual([
      [
        { generatedColumn: 0, sourceLine: 0, sourceColumn: 0 },
        { generatedColumn: 5, sourceLine: 0, sourceColumn: 5 },
      ],
      [{ generatedColumn: 0, sourceLine: 1, sourceColumn: 5 }],
    ]);
    // Negative deltas: "D" is −1; multi-digit values: "gB" is 16.
    expect(decodeMappings('gBAAgB,DAAD')).toEqual([
      [
        { generatedColumn: 16, sourceLine: 0, sourceColumn: 16 },
        { generatedColumn: 15, sourceLine: 0, sourceColumn: 15 },
      ],
    ]);
  });

  it('moves the column for a one-field segment (no source) without adding a place, and skips empty segments', () => {
    expect(decodeMappings('C,AAAA;;AACA')).toEqual([
      [{ generatedColumn: 1, sourceLine: 0, sourceColumn: 0 }],
      [],
      [{ generatedColumn: 0, sourceLine: 1, sourceColumn: 0 }],
    ]);
  });

  it('refuses a character that is not base64, naming it', () => {
    expect(() => decodeMappings('AA!A')).toThrow('bad source-map character !');
  });
});

describe('originalPosition', () => {
  const lines = [
    [
      { generatedColumn: 2, sourceLine: 0, sourceColumn: 2 },
      { generatedColumn: 5, sourceLine: 0, sourceColumn: 10 },
    ],
  ];

  it('maps a column exactly at a segment to that segment, and one past it by the distance', () => {
    expect(originalPosition(lines, { line: 0, column: 5 })).toEqual({ line: 0, column: 10 });
    expect(originalPosition(lines, { line: 0, column: 7 })).toEqual({ line: 0, column: 12 });
    expect(originalPosition(lines, { line: 0, column: 4 })).toEqual({ line: 0, column: 4 });
  });

  it('leaves a position before the first segment, or on a line without one, as it is', () => {
    expect(originalPosition(lines, { line: 0, column: 1 })).toEqual({ line: 0, column: 1 });
    expect(originalPosition(lines, { line: 3, column: 8 })).toEqual({ line: 3, column: 8 });
  });
});

describe('applyEdits', () => {
  it('keeps edits at one offset in the order given', () => {
    const edited = applyEdits('ab', [
      { start: 1, end: 1, text: 'X' },
      { start: 1, end: 1, text: 'Y' },
      { start: 1, end: 1, text: 'Z' },
    ]);
    expect(edited.code).toBe('aXYZb');
  });

  it('maps positions after a same-line replacement back past the text it replaced', () => {
    // "abcdef" with "bc" (columns 1-2) replaced by "XYZ": "aXYZdef". "d" is at column 4 now, 3 before.
    const edited = applyEdits('abcdef', [{ start: 1, end: 3, text: 'XYZ' }]);
    expect(edited.code).toBe('aXYZdef');
    expect(edited.toOriginal({ line: 0, column: 4 })).toEqual({ line: 0, column: 3 });
    expect(edited.toOriginal({ line: 0, column: 6 })).toEqual({ line: 0, column: 5 });
    // Inside the replacement: where it happened.
    expect(edited.toOriginal({ line: 0, column: 3 })).toEqual({ line: 0, column: 1 });
    expect(edited.toOriginal({ line: 0, column: 0 })).toEqual({ line: 0, column: 0 });
  });

  it('refuses overlapping edits', () => {
    expect(() =>
      applyEdits('abcdef', [
        { start: 1, end: 3, text: '' },
        { start: 2, end: 2, text: 'X' },
      ]),
    ).toThrow('overlapping edits at offset 2');
  });
});

describe('LineIndex', () => {
  it('turns offsets into lines and columns, the last line included', () => {
    const index = new LineIndex('ab\ncd\n\nef');
    expect(index.lineCount).toBe(4);
    expect([0, 2, 3, 5, 6, 7, 8].map((o) => index.position(o))).toEqual([
      { line: 0, column: 0 },
      { line: 0, column: 2 },
      { line: 1, column: 0 },
      { line: 1, column: 2 },
      { line: 2, column: 0 },
      { line: 3, column: 0 },
      { line: 3, column: 1 },
    ]);
  });
});
