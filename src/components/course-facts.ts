/**
 * The course's facts: the counts a lesson's prose quotes about the model and the photos (88 layers, 475,544
 * parameters, a 112 × 112 grid of 12,544 positions, a 19 × 19 receptive field, 390 photos of which 78 validate),
 * computed at build time from the very files the lessons load, never typed by hand. `<Fact of="model.layers" />`
 * (Fact.astro) renders one; a key that is not here fails the build, naming the lesson and the key.
 *
 * One source each: the model's figures come from src/components/keras/model-facts.ts (the Keras map page reads the
 * same), its grid sizes and receptive fields from the engine's own rule (src/ml/receptive-field.ts, which lesson 3's
 * window gallery uses), the photo counts from the split that `npm run assets` wrote (photos/index.json), and lesson
 * 8's rules for the learner's own photos from the constants its upload path applies (src/ml/own-photos.ts).
 * Results of a run (an accuracy, a probability, which photos a channel likes) are not facts: they live in the
 * lesson's record.json and are rendered by `<Fig>`.
 */
import { readFileSync } from 'node:fs';
import { parsePhotoIndex } from '../ml/dataset';
import { MAX_FILES_PER_UPLOAD, MIN_PER_CLASS, STORED_MAX_SIDE } from '../ml/own-photos';
import { receptiveFields, type SpatialLayer } from '../ml/receptive-field';
import { modelFacts } from './keras/model-facts';

/** All facts, by key ("model.layers", "side.conv1_relu", "photos.validation"). */
export type CourseFacts = Record<string, number>;

/** The parts of a Keras model.json this reads (a layer's config as the converter wrote it, in snake_case). */
interface ModelJson {
  modelTopology: {
    model_config: { config: { layers: { class_name: string; name: string; config: Record<string, unknown> }[] } };
  };
  weightsManifest: { weights: { name: string; shape: number[] }[] }[];
}

/** The parts of photos/index.json this reads: each photo's label and split. */
interface PhotoIndex {
  labels: string[];
  photos: { label: string; split: string }[];
}

/** Layers that work position by position: they keep the grid and (but for a Conv2D) the channels. */
const POINTWISE = new Set(['InputLayer', 'BatchNormalization', 'Activation', 'ReLU', 'Dropout']);

/** A square [rows, columns] setting of a layer (Keras stores a pair). */
function side(value: unknown, what: string, layer: string): number {
  const [a, b] = Array.isArray(value) ? (value as number[]) : [value as number, value as number];
  if (a !== b || !Number.isInteger(a)) throw new Error(`course facts: ${layer} has a non-square ${what}`);
  return a!;
}

/**
 * Each layer's output grid (side × side positions of `channels` numbers) and receptive field, from the input to the
 * global pooling, where the grid ends: `side.<layer>`, `positions.<layer>`, `channels.<layer>`, `field.<layer>`.
 */
function gridFacts(json: ModelJson): CourseFacts {
  const layers = json.modelTopology.model_config.config.layers;
  const input = layers[0]?.config.batch_input_shape as (number | null)[] | undefined;
  if (!input || input[1] !== input[2] || typeof input[1] !== 'number')
    throw new Error('course facts: the model has no square input of a known size');
  const facts: CourseFacts = {};
  let size = input[1];
  let channels = input[3]!;
  let field = 1;
  const spatial: SpatialLayer[] = [];
  for (const { class_name: cls, name, config } of layers) {
    if (cls === 'GlobalAveragePooling2D') {
      facts[`channels.${name}`] = channels; // one number per channel: the pooled features
      break;
    }
    if (cls === 'Conv2D' || cls === 'DepthwiseConv2D') {
      spatial.push({
        name,
        kernel: side(config.kernel_size, 'kernel', name),
        stride: side(config.strides, 'stride', name),
        padding: config.padding === 'same' ? 'same' : 'valid',
        dilation: side(config.dilation_rate ?? 1, 'dilation', name),
      });
      // The engine's rule (the one lesson 3's windows use) gives the grid and the field after this layer.
      const last = receptiveFields(spatial, input[1]).at(-1)!;
      size = last.outputSize;
      field = last.size;
      if (cls === 'Conv2D') channels = config.filters as number;
    } else if (!POINTWISE.has(cls)) {
      throw new Error(`course facts: ${name} (${cls}) is a layer this does not know the grid of`);
    }
    Object.assign(facts, {
      [`side.${name}`]: size,
      [`positions.${name}`]: size * size,
      [`channels.${name}`]: channels,
      [`field.${name}`]: field,
    });
  }
  return facts;
}

/** The facts of a parsed model.json and photo index (pure: the unit test gives it the real files). */
export function courseFacts(model: ModelJson, photos: PhotoIndex): CourseFacts {
  const m = modelFacts(model);
  const facts: CourseFacts = {
    'model.layers': m.layers,
    'model.params': m.params,
    'model.baseParams': m.baseParams,
    'model.topParams': m.topParams,
    'model.movingStats': m.movingStats,
    // The base up to and including the pooled features, the input layer counted (Keras's model.layers[:i + 1]):
    // lesson 5's unrolled chain numbers these layers 0 … pooledIndex before its head.
    'model.pooledIndex': m.pooled.index,
    'model.baseLayers': m.pooled.index + 1,
    // float32 weights, 4 bytes each, in megabytes of 10^6 bytes: the size of the weight files a learner downloads.
    'model.megabytes': (m.params * 4) / 1e6,
    ...gridFacts(model),
  };
  // Parameters of each layer that has any: "params.conv_pw_13" (kernel and, where there is one, bias).
  for (const [layer, params] of Object.entries(m.layerParams)) facts[`params.${layer}`] = params;
  facts.photos = photos.photos.length;
  for (const photo of photos.photos) {
    for (const key of [`photos.${photo.split}`, `photos.${photo.label}`, `photos.${photo.label}.${photo.split}`])
      facts[key] = (facts[key] ?? 0) + 1;
  }
  // The photos a choice may look at: lesson 3's probe computes features for these, never for the test photos.
  facts['photos.trainAndValidation'] = (facts['photos.train'] ?? 0) + (facts['photos.validation'] ?? 0);
  facts.labels = photos.labels.length;
  // One validation photo in percentage points, of the whole validation set and of each label's validation photos:
  // how far one photo moves an accuracy or a recall (lesson 7 reads its tables with these).
  facts['points.validationPhoto'] = 100 / facts['photos.validation']!;
  for (const label of photos.labels)
    facts[`points.validationPhoto.${label}`] = 100 / facts[`photos.${label}.validation`]!;
  // The head lesson 4 builds on the pooled features: a Dense layer with one unit per label, weights and biases.
  const pooled = facts[`channels.${m.pooled.name}`]!;
  facts['head.params'] = pooled * facts.labels + facts.labels;
  // Lesson 8's rules for the learner's own photos, as the upload and wb.own.photos() apply them (src/ml/own-photos.ts):
  // the fewest photos a class may have, the most files one upload takes, the longest side a stored photo keeps.
  facts['own.minPerClass'] = MIN_PER_CLASS;
  facts['own.maxFilesPerUpload'] = MAX_FILES_PER_UPLOAD;
  facts['own.storedMaxSide'] = STORED_MAX_SIDE;
  return facts;
}

/** The facts already read, by the folder they were read from. */
const cached = new Map<string, CourseFacts>();

/**
 * The facts of the model and photos in `dir`, by default public/workbook-assets (resolved by `npm run assets`, which
 * `npm run build` runs first), read once per build and folder.
 */
export function readCourseFacts(dir = 'public/workbook-assets'): CourseFacts {
  const known = cached.get(dir);
  if (known) return known;
  const read = (file: string) => JSON.parse(readFileSync(`${dir}/${file}`, 'utf8')) as unknown;
  // The photo index goes through the engine's own parser, so a broken index fails here as it would in a lesson.
  const facts = courseFacts(read('model/model.json') as ModelJson, parsePhotoIndex(read('photos/index.json')));
  cached.set(dir, facts);
  return facts;
}

/**
 * One fact as the prose writes it: counts grouped by thousands ("475,544"), other numbers with `digits` decimals
 * (default 1). An unknown key throws, naming `where` and the known keys that share its first part.
 */
export function renderFact(facts: CourseFacts, of: string, where: string, digits?: number): string {
  const value = facts[of];
  if (value === undefined) {
    const family = of.split('.')[0]!;
    const near = Object.keys(facts).filter((k) => k.split('.')[0] === family);
    throw new Error(
      `${where}: <Fact of="${of}">: no such fact` +
        (near.length ? ` (known: ${near.slice(0, 12).join(', ')}${near.length > 12 ? ', …' : ''})` : '') +
        '. The facts are counted from the model and the photos: src/components/course-facts.ts.',
    );
  }
  if (digits === undefined && Number.isInteger(value)) return value.toLocaleString('en-US');
  return value.toFixed(digits ?? 1);
}
