/**
 * Finds a lesson's checks.ts by the lesson's slug. Vite bundles every lessons/NN-slug/checks.ts as its own chunk
 * (import.meta.glob, not eager), so a page downloads only its own lesson's checks, and only when `wb` is first used.
 */
import type { LessonChecks } from './checks-registry';

const modules = import.meta.glob<{ default: LessonChecks }>('../../lessons/*/checks.ts');

/** The folder of a glob key, without its "NN-" prefix: "../../lessons/01-what-the-network-knows/checks.ts" → "what-the-network-knows". */
const slugOfKey = (key: string) => (key.split('/').at(-2) ?? '').replace(/^\d+-/, '');

/** Returns the checks of the lesson with this slug (or folder name), or undefined when the lesson has none. */
export async function checksOfLesson(slug: string | undefined): Promise<LessonChecks | undefined> {
  if (!slug) return undefined;
  const bare = slug.replace(/^\d+-/, '');
  const key = Object.keys(modules).find((k) => slugOfKey(k) === bare);
  return key ? (await modules[key]!()).default : undefined;
}
