/**
 * The ordered list of lessons, shared by the home page, the lesson pages and their previous/next links.
 */
import { getCollection, type CollectionEntry } from 'astro:content';
import { siteUrl } from '../platform/base-url';

/** One lesson as the site shows it. */
export interface LessonLink {
  /** URL segment: the folder name without its numeric prefix ("what-the-network-knows"). */
  slug: string;
  entry: CollectionEntry<'lessons'>;
}

/** Strips the "01-" ordering prefix from a lesson folder name. */
export function slugOf(id: string): string {
  return id.replace(/^\d+-/, '');
}

/** All lessons in course order; throws, naming the folder, when a lesson's `order` disagrees with its prefix. */
export async function orderedLessons(): Promise<LessonLink[]> {
  const entries = await getCollection('lessons');
  for (const entry of entries) {
    const prefix = Number(entry.id.match(/^(\d+)-/)?.[1]);
    if (prefix !== entry.data.order) {
      throw new Error(
        `lessons/${entry.id}/index.mdx: frontmatter order ${entry.data.order} does not match the folder prefix ${prefix}`,
      );
    }
  }
  return entries.sort((a, b) => a.data.order - b.data.order).map((entry) => ({ slug: slugOf(entry.id), entry }));
}

/** The URL of a lesson page. */
export function lessonHref(slug: string): string {
  return siteUrl(`lessons/${slug}/`);
}
