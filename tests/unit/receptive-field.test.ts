/**
 * Receptive fields: exact values on hand-made layer stacks (worked out by hand in the comments), MobileNet's layers
 * read from the real model, and a check that the field is tight: a pixel just outside a position's window does not
 * move its activations, the window's corner pixels do.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imagesToBatch } from '../../src/ml/image';
import {
  fieldWindow,
  receptiveFieldOf,
  receptiveFields,
  spatialLayers,
  type SpatialLayer,
} from '../../src/ml/receptive-field';
import { activationModel } from '../../src/ml/visualize';
import { nodeModelIO, readPhoto, useWasmBackend } from '../../src/platform/node';

const conv = (
  name: string,
  kernel: number,
  stride: number,
  padding: SpatialLayer['padding'] = 'same',
  dilation = 1,
): SpatialLayer => ({ name, kernel, stride, padding, dilation });

describe('receptiveFields on hand-made stacks', () => {
  it('follows MobileNet’s first blocks on a 224-pixel input', () => {
    const stack = [
      conv('conv1', 3, 2),
      conv('dw1', 3, 1),
      conv('pw1', 1, 1),
      conv('dw2', 3, 2),
      conv('pw2', 1, 1),
      conv('dw3', 3, 1),
      conv('dw4', 3, 2),
      conv('dw5', 3, 1),
    ];
    expect(receptiveFields(stack, 224)).toEqual([
      // 3×3/2 'same' on 224: 112 outputs, padding (111·2 + 3 − 224) = 1 in all, 0 on top → field 3, jump 2, starts at 0.
      { layer: 'conv1', outputSize: 112, size: 3, jump: 2, first: 0 },
      // 3×3/1: pads 1 on top, one input step is 2 pixels → starts at −2; 3 + 2·2 = 7.
      { layer: 'dw1', outputSize: 112, size: 7, jump: 2, first: -2 },
      { layer: 'pw1', outputSize: 112, size: 7, jump: 2, first: -2 },
      // 3×3/2 on 112: padding 55·2 + 3 − 112 = 1, 0 on top; 7 + 2·2 = 11, jump 4.
      { layer: 'dw2', outputSize: 56, size: 11, jump: 4, first: -2 },
      { layer: 'pw2', outputSize: 56, size: 11, jump: 4, first: -2 },
      // 3×3/1 on 56: 1 on top, 4 pixels a step → −6; 11 + 2·4 = 19.
      { layer: 'dw3', outputSize: 56, size: 19, jump: 4, first: -6 },
      { layer: 'dw4', outputSize: 28, size: 27, jump: 8, first: -6 },
      { layer: 'dw5', outputSize: 28, size: 43, jump: 8, first: -14 },
    ]);
  });

  it('handles valid padding, pooling, dilation, explicit padding and odd inputs', () => {
    // 5×5 valid on 10 → 6 outputs; 2×2/2 pool → 3 outputs, field 5 + 1·1 = 6, jump 2.
    expect(receptiveFields([conv('c', 5, 1, 'valid'), conv('pool', 2, 2, 'valid')], 10)).toEqual([
      { layer: 'c', outputSize: 6, size: 5, jump: 1, first: 0 },
      { layer: 'pool', outputSize: 3, size: 6, jump: 2, first: 0 },
    ]);
    // A 3×3 kernel with dilation 2 spans 5 pixels.
    expect(receptiveFields([conv('d', 3, 1, 'valid', 2)], 10)).toEqual([
      { layer: 'd', outputSize: 6, size: 5, jump: 1, first: 0 },
    ]);
    // Zero padding 1 before, 2 after: 13 positions, starting one pixel before the image.
    expect(receptiveFields([conv('pad', 1, 1, [1, 2]), conv('c', 3, 2, 'valid')], 10)).toEqual([
      { layer: 'pad', outputSize: 13, size: 1, jump: 1, first: -1 },
      { layer: 'c', outputSize: 6, size: 3, jump: 2, first: -1 },
    ]);
    // 3×3/2 'same' on 7: 4 outputs, padding 3·2 + 3 − 7 = 2, 1 on top.
    expect(receptiveFields([conv('odd', 3, 2)], 7)).toEqual([
      { layer: 'odd', outputSize: 4, size: 3, jump: 2, first: -1 },
    ]);
    expect(fieldWindow({ layer: 'x', outputSize: 56, size: 19, jump: 4, first: -6 }, 3, 10)).toEqual({
      top: 6,
      left: 34,
      size: 19,
    });
    expect(() => receptiveFields([conv('big', 7, 1, 'valid')], 5)).toThrow(
      "big's 7-pixel window does not fit its 5-pixel input",
    );
    expect(() => receptiveFields([conv('zero', 3, 0)], 5)).toThrow(
      'zero needs positive integer kernel, stride and dilation',
    );
  });
});

describe('receptive fields of the real model', () => {
  let model: tf.LayersModel;
  beforeAll(async () => {
    await useWasmBackend();
    model = await tf.loadLayersModel(nodeModelIO());
  });
  afterAll(() => model.dispose());

  it('reads the conv and depthwise layers of MobileNet', () => {
    expect(spatialLayers(model, 'conv_pw_1_relu').map((l) => [l.name, l.kernel, l.stride, l.padding])).toEqual([
      ['conv1', 3, 2, 'same'],
      ['conv_dw_1', 3, 1, 'same'],
      ['conv_pw_1', 1, 1, 'same'],
    ]);
    expect(receptiveFieldOf(model, 'conv1_relu')).toEqual({
      layer: 'conv1_relu',
      outputSize: 112,
      size: 3,
      jump: 2,
      first: 0,
    });
    expect(receptiveFieldOf(model, 'conv_pw_1_relu')).toMatchObject({ outputSize: 112, size: 7, jump: 2, first: -2 });
    expect(receptiveFieldOf(model, 'conv_pw_2_relu')).toMatchObject({ outputSize: 56, size: 11, jump: 4, first: -2 });
    expect(receptiveFieldOf(model, 'conv_pw_3_relu')).toMatchObject({ outputSize: 56, size: 19, jump: 4, first: -6 });
    // The output size always matches the layer's real output shape.
    for (const name of ['conv_pw_5_relu', 'conv_pw_11_relu', 'conv_pw_13_relu']) {
      expect(receptiveFieldOf(model, name).outputSize).toBe(model.getLayer(name).outputShape[1]);
    }
    expect(() => receptiveFieldOf(model, 'global_average_pooling2d_1')).toThrow(
      'mixes every position of its input: it has no receptive field',
    );
  });

  it('is tight: only the pixels of the window move a position of conv_pw_3', async () => {
    const probe = activationModel(model, 'conv_pw_3'); // before BN and ReLU6: nothing clips the change away
    const field = receptiveFieldOf(model, 'conv_pw_3');
    const [y, x] = [20, 30];
    const { top, left, size } = fieldWindow(field, y, x);
    const photo = await readPhoto('cat/Egyptian_Mau_10.jpg');
    const at = (pixels: Uint8Array) =>
      tf.tidy(() =>
        (probe.predict(imagesToBatch([{ ...photo, data: pixels }])) as tf.Tensor4D)
          .slice([0, y, x, 0], [1, 1, 1, -1])
          .dataSync(),
      );
    const changed = (py: number, px: number) => {
      const data = Uint8Array.from(photo.data);
      for (let c = 0; c < 3; c++) data[(py * photo.width + px) * 3 + c] = 255 - data[(py * photo.width + px) * 3 + c]!;
      return data;
    };
    const base = at(Uint8Array.from(photo.data));
    const moved = (py: number, px: number) => Math.max(...at(changed(py, px)).map((v, i) => Math.abs(v - base[i]!)));
    for (const [py, px] of [
      [top, left],
      [top + size - 1, left + size - 1],
      [top, left + size - 1],
      [top + size - 1, left],
    ] as const) {
      expect(moved(py, px)).toBeGreaterThan(1e-3);
    }
    for (const [py, px] of [
      [top - 1, left],
      [top, left - 1],
      [top + size, left + size - 1],
      [top + size - 1, left + size],
    ] as const) {
      expect(moved(py, px)).toBe(0);
    }
  });
});
