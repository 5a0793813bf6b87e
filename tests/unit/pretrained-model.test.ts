/**
 * The foundation's promise: the real ImageNet MobileNet loads in Node from the resolved assets and recognises our
 * real photos. If a shard, a photo or the preprocessing were wrong, these top-1 classes would not come out.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { imagesToBatch } from '../../src/ml/image';
import { nodeModelIO, readAsset, readPhoto, useWasmBackend } from '../../src/platform/node';

const IMAGENET_CATS = [281, 285] as const; // tabby … Egyptian cat
const IMAGENET_DOGS = [151, 268] as const; // Chihuahua … Mexican hairless

describe('the pre-trained MobileNet', () => {
  let model: tf.LayersModel;
  let classes: string[];
  beforeAll(async () => {
    await useWasmBackend();
    model = await tf.loadLayersModel(nodeModelIO());
    classes = JSON.parse(readAsset('labels/imagenet_classes.json').toString('utf8')) as string[];
  });

  it('has the architecture the lessons describe', () => {
    expect(model.layers).toHaveLength(88);
    expect(model.countParams()).toBe(475_544);
    expect(model.inputs[0]!.shape).toEqual([null, 224, 224, 3]);
    expect(model.getLayer('conv_pw_13_relu').outputShape).toEqual([null, 7, 7, 256]);
    expect(classes).toHaveLength(1000);
  });

  it.each([
    ['cat/Egyptian_Mau_10.jpg', IMAGENET_CATS],
    ['cat/Siamese_108.jpg', IMAGENET_CATS],
    ['dog/beagle_10.jpg', IMAGENET_DOGS],
    ['dog/pug_112.jpg', IMAGENET_DOGS],
  ] as const)('puts %s in the right ImageNet classes', async (file, [lo, hi]) => {
    const image = await readPhoto(file);
    const top1 = tf.tidy(() => (model.predict(imagesToBatch([image])) as tf.Tensor).argMax(-1).dataSync()[0]!);
    expect(top1, `${file} → ${top1} ${classes[top1]}`).toBeGreaterThanOrEqual(lo);
    expect(top1, `${file} → ${top1} ${classes[top1]}`).toBeLessThanOrEqual(hi);
  });

  it('does not call a non-pet photo a cat or a dog', async () => {
    const coffee = await readPhoto('other/other_tfjs_coffee.jpg');
    const top1 = tf.tidy(() => (model.predict(imagesToBatch([coffee])) as tf.Tensor).argMax(-1).dataSync()[0]!);
    expect(classes[top1]).toMatch(/cup|coffee|espresso/);
  });
});
