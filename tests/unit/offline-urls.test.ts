/**
 * Which precached page the service worker serves for an address without its trailing slash
 * (src/platform/offline-urls.ts). The worker itself runs in Chromium: tests/e2e/subpath.spec.ts opens a lesson
 * offline by such an address.
 */
import { describe, expect, it } from 'vitest';
import { folderIndexFor } from '../../src/platform/offline-urls';

const tried = (address: string) => folderIndexFor(new URL(address)).map((u) => u.href);

describe('folderIndexFor', () => {
  it.each([
    ['http://h/course/lessons/freeze-and-train', 'http://h/course/lessons/freeze-and-train/index.html'],
    ['http://h/lessons/x?threads=2#top', 'http://h/lessons/x/index.html'], // the query and fragment name no file
    ['http://h/course/keras', 'http://h/course/keras/index.html'],
  ])('a folder without its slash, %s, is looked up as %s', (address, file) => {
    expect(tried(address)).toEqual([file]);
  });

  it.each([
    'http://h/course/lessons/x/', // Workbox's directoryIndex already adds index.html
    'http://h/course/', // the home page
    'http://h/course/workbook-assets/model/model.json', // a file
  ])('nothing extra for %s', (address) => {
    expect(tried(address)).toEqual([]);
  });

  it('a file without an extension (a model shard) is tried as a folder too: harmless, no index.html is there', () => {
    const shard = 'http://h/course/workbook-assets/model/group1-shard1of1';
    expect(tried(shard)).toEqual([`${shard}/index.html`]);
  });
});
