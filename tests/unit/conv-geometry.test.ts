/**
 * convGeometry (src/ml/kernels/conv-geometry.ts), the gate in front of the composed wasm conv-gradient kernels: it
 * must refuse what those kernels do not implement (other ranks, channels-first data, dilation) before they compute
 * a wrong gradient, and otherwise describe the conv exactly as tfjs does.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { convGeometry } from '../../src/ml/kernels/conv-geometry';

const filter: [number, number, number, number] = [3, 3, 4, 2];

describe('convGeometry', () => {
  it('refuses an input that is not rank 4, naming the kernel and the shape', () => {
    expect(() => convGeometry('Conv2DBackpropFilter', [8, 8, 4], filter, { strides: 1, pad: 'same' }, false)).toThrow(
      'Conv2DBackpropFilter: input must be rank 4 (NHWC), got shape [8,8,4]',
    );
  });

  it('refuses channels-first data', () => {
    expect(() =>
      convGeometry('k', [1, 4, 8, 8], filter, { strides: 1, pad: 'same', dataFormat: 'NCHW' }, false),
    ).toThrow("k: only channels-last (NHWC) data is supported, got dataFormat 'NCHW'");
  });

  it('refuses a dilation other than 1 on either axis, given as one number or a pair', () => {
    const at = (dilations: number | [number, number]) => () =>
      convGeometry('k', [1, 8, 8, 4], filter, { strides: 1, pad: 'same', dilations }, false);
    expect(at(2)).toThrow('k: dilation rates other than 1 are not supported, got [2, 2]');
    expect(at([1, 2])).toThrow('got [1, 2]');
    expect(at([2, 1])).toThrow('got [2, 1]');
    expect(at([1, 1])).not.toThrow();
  });

  it("describes the conv as tfjs's computeConv2DInfo does, for plain and depthwise convs", () => {
    for (const depthwise of [false, true]) {
      const info = convGeometry('k', [2, 9, 7, 4], filter, { strides: [2, 1], pad: 'same' }, depthwise);
      const reference = tf.backend_util.computeConv2DInfo(
        [2, 9, 7, 4],
        filter,
        [2, 1],
        1,
        'same',
        undefined,
        depthwise,
        'channelsLast',
      );
      expect(info).toEqual(reference);
      expect([info.outHeight, info.outWidth]).toEqual([5, 7]);
    }
  });
});
