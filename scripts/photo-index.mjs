/**
 * The photo index for `npm run assets` (scripts/assets.mjs): the split itself lives in the engine,
 * src/ml/split.ts, so the index the asset script writes and the one the engine checks can never disagree. This
 * bridge lets plain `node` run that TypeScript file (scripts/ts-hooks.mjs strips its types with sucrase).
 */
import { register } from 'node:module';

register('./ts-hooks.mjs', import.meta.url);

/** buildPhotoIndex, SPLIT, LABELS, photoName: see src/ml/split.ts. */
export const { buildPhotoIndex, SPLIT, LABELS, photoName } = await import('../src/ml/split.ts');
