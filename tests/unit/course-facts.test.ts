/**
 * The facts lesson prose renders with <Fact of="…" /> (src/components/course-facts.ts), computed from the real
 * model.json and photo index at build time, agree with what the engine sees when it loads the same model and photos
 * in Node: the layer count, the parameters, every layer's output grid and channels, lesson 3's receptive field, the
 * split. And every <Fact> in a lesson names a fact that exists, so a typo fails here before a build does.
 */
import * as tf from '@tensorflow/tfjs';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCourseFacts, renderFact, type CourseFacts } from '../../src/components/course-facts';
import { modelFacts } from '../../src/components/keras/model-facts';
import { parsePhotoIndex } from '../../src/ml/dataset';
import { MAX_FILES_PER_UPLOAD, MIN_PER_CLASS, notTrainableBecause, STORED_MAX_SIDE } from '../../src/ml/own-photos';
import { receptiveFieldOf } from '../../src/ml/receptive-field';
import { nodeModelIO, readAsset, useWasmBackend } from '../../src/platform/node';

const ROOT = resolve(import.meta.dirname, '../..');

describe('course facts, from the real model and photos', () => {
  let model: tf.LayersModel;
  let facts: CourseFacts;
  beforeAll(async () => {
    await useWasmBackend();
    model = await tf.loadLayersModel(nodeModelIO());
    facts = readCourseFacts(join(ROOT, 'public/workbook-assets'));
  });

  it('counts the layers and parameters the loaded model has', () => {
    expect(facts['model.layers']).toBe(model.layers.length);
    expect(facts['model.params']).toBe(model.countParams());
    expect(facts['model.layers']).toBe(88);
    expect(renderFact(facts, 'model.params', 'test')).toBe('475,544');
    expect(renderFact(facts, 'model.megabytes', 'test')).toBe('1.9');
    expect(facts['params.conv_pw_13']).toBe(model.getLayer('conv_pw_13').countParams());
    expect(renderFact(facts, 'params.conv_pw_13', 'test')).toBe('65,536');
  });

  it("gives every layer's parameters as the loaded layer counts them, from model-facts' one count", () => {
    const json = JSON.parse(readAsset('model/model.json').toString('utf8')) as Parameters<typeof modelFacts>[0];
    const { layerParams } = modelFacts(json);
    const weighted = model.layers.filter((l) => l.countParams() > 0);
    expect(Object.keys(layerParams).sort()).toEqual(weighted.map((l) => l.name).sort());
    for (const layer of weighted) {
      expect(layerParams[layer.name]).toBe(layer.countParams());
      expect(facts[`params.${layer.name}`]).toBe(layerParams[layer.name]);
    }
    expect(Object.keys(facts).filter((k) => k.startsWith('params.'))).toHaveLength(weighted.length);
  });

  it("gives every layer's grid and channels as the loaded model's output shapes, up to the pooling", () => {
    const pooling = model.layers.indexOf(model.getLayer('global_average_pooling2d_1'));
    let checked = 0;
    for (const layer of model.layers.slice(0, pooling)) {
      const shape = layer.outputShape as number[];
      expect([facts[`side.${layer.name}`], facts[`side.${layer.name}`], facts[`channels.${layer.name}`]]).toEqual(
        shape.slice(1),
      );
      expect(facts[`positions.${layer.name}`]).toBe(shape[1]! * shape[2]!);
      checked++;
    }
    expect(checked).toBe(pooling);
    expect(facts['model.pooledIndex']).toBe(pooling);
    expect(facts['model.baseLayers']).toBe(pooling + 1);
    expect(facts['channels.global_average_pooling2d_1']).toBe(256);
    expect(renderFact(facts, 'positions.conv1_relu', 'test')).toBe('12,544');
  });

  it("gives the receptive field the engine computes on the loaded model (lesson 3's windows)", () => {
    for (const name of ['conv1_relu', 'conv_pw_3_relu', 'conv_pw_13_relu'])
      expect(facts[`field.${name}`]).toBe(receptiveFieldOf(model, name).size);
    expect(facts['field.conv_pw_3_relu']).toBe(19);
  });

  it('counts the photos of each split and label as the photo index lists them', () => {
    const index = parsePhotoIndex(JSON.parse(readAsset('photos/index.json').toString('utf8')));
    expect(facts.photos).toBe(index.photos.length);
    for (const split of ['train', 'validation', 'test'] as const)
      expect(facts[`photos.${split}`]).toBe(index.photos.filter((p) => p.split === split).length);
    expect([facts['photos.train'], facts['photos.validation'], facts['photos.test']]).toEqual([234, 78, 78]);
    expect(facts['photos.trainAndValidation']).toBe(312);
    expect(facts['head.params']).toBe(256 * 3 + 3);
    expect(facts['photos.cat.validation']).toBe(
      index.photos.filter((p) => p.label === 'cat' && p.split === 'validation').length,
    );
    // One validation photo, in percentage points of the set and of each class (24 cats, 25 dogs, 29 others).
    expect(facts['points.validationPhoto']).toBe(100 / 78);
    expect(renderFact(facts, 'points.validationPhoto', 'test')).toBe('1.3');
    for (const label of index.labels)
      expect(facts[`points.validationPhoto.${label}`]).toBe(100 / facts[`photos.${label}.validation`]!);
    expect(
      ['cat', 'dog', 'other'].map((label) => renderFact(facts, `points.validationPhoto.${label}`, 'test')),
    ).toEqual(['4.2', '4', '3.4']); // 100 / 25 is whole, and renders as a count does
  });

  it("gives lesson 8's rules for the learner's own photos from the constants the upload path applies", () => {
    expect([facts['own.minPerClass'], facts['own.maxFilesPerUpload'], facts['own.storedMaxSide']]).toEqual([
      MIN_PER_CLASS,
      MAX_FILES_PER_UPLOAD,
      STORED_MAX_SIDE,
    ]);
    // The rule the fact names is the one wb.own.photos() refuses by: one photo fewer in a class is refused.
    const photos = (n: number, label: string) =>
      Array.from({ length: n }, (_, i) => ({ id: `${label}${i}`, label, name: `${label}${i}.jpg` }));
    expect(notTrainableBecause([...photos(MIN_PER_CLASS, 'a'), ...photos(MIN_PER_CLASS, 'b')])).toBeNull();
    expect(notTrainableBecause([...photos(MIN_PER_CLASS, 'a'), ...photos(MIN_PER_CLASS - 1, 'b')])).toMatch(
      new RegExp(`at least ${facts['own.minPerClass']} photos per class`),
    );
  });

  it('reads each folder once: a second folder gets its own facts, the same folder the same ones', () => {
    // A copy of the assets whose photo index lacks its first photo: the model's facts stay, the photo count drops.
    const dir = mkdtempSync(join(tmpdir(), 'course-facts-'));
    try {
      mkdirSync(join(dir, 'model'));
      mkdirSync(join(dir, 'photos'));
      copyFileSync(join(ROOT, 'public/workbook-assets/model/model.json'), join(dir, 'model/model.json'));
      const index = JSON.parse(readAsset('photos/index.json').toString('utf8')) as { photos: unknown[] };
      writeFileSync(join(dir, 'photos/index.json'), JSON.stringify({ ...index, photos: index.photos.slice(1) }));
      const other = readCourseFacts(dir);
      expect(other.photos).toBe(facts.photos! - 1);
      expect(other['model.params']).toBe(facts['model.params']);
      expect(readCourseFacts(join(ROOT, 'public/workbook-assets'))).toBe(facts);
      expect(readCourseFacts(dir)).toBe(other);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it('refuses an unknown fact, naming the place and the known facts of that family', () => {
    expect(() => renderFact(facts, 'model.layer', 'lessons/x')).toThrow(
      /lessons\/x: <Fact of="model\.layer">: no such fact \(known: model\.layers, model\.params/,
    );
    expect(() => renderFact(facts, 'nothing', 'lessons/x')).toThrow(/no such fact\. The facts are counted/);
  });

  it('knows every <Fact of="…"> a lesson uses', () => {
    const lessons = readdirSync(join(ROOT, 'lessons')).filter((d) => /^\d+-/.test(d));
    const unknown: string[] = [];
    let used = 0;
    for (const lesson of lessons) {
      const mdx = readFileSync(join(ROOT, 'lessons', lesson, 'index.mdx'), 'utf8');
      for (const m of mdx.matchAll(/<Fact\s+of="([^"]+)"/g)) {
        used++;
        if (!(m[1]! in facts)) unknown.push(`${lesson}: ${m[1]}`);
      }
    }
    expect(unknown).toEqual([]);
    expect(used).toBeGreaterThan(0);
  });
});
