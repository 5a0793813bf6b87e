/**
 * Lessons are MDX files under lessons/, one folder per lesson: lessons/01-what-the-network-knows/index.mdx.
 * The folder's numeric prefix orders them; the schema below makes a frontmatter mistake fail the build with the
 * file's name, instead of a broken page.
 */
import { defineCollection, z } from 'astro:content';
import { glob } from 'astro/loaders';

/** What every lesson must declare in its frontmatter. */
export const lessonSchema = z.object({
  title: z.string().min(3),
  summary: z.string().min(10).max(300),
  /** Position in the course; must equal the folder's numeric prefix. */
  order: z.number().int().positive(),
  /** Honest time to work through it, in minutes. */
  minutes: z.number().int().min(5).max(60),
});

const lessons = defineCollection({
  loader: glob({
    pattern: '*/index.mdx',
    base: './lessons',
    // "01-what-the-network-knows/index.mdx" → "01-what-the-network-knows"
    generateId: ({ entry }) => entry.split('/')[0] ?? entry,
  }),
  schema: lessonSchema,
});

export const collections = { lessons };
