import { describe, expect, it } from 'vitest';
import { layoutCounts, plainZipLayout } from './zipLayout';

const summary = (names: string[], zipName = 'faces.zip') => {
  const l = plainZipLayout(names, zipName);
  return { ...l, items: l.items.map((i) => `${i.entry} → ${i.source} ${l.classNames[i.label]} ${i.split ?? '-'}`) };
};

describe('plainZipLayout', () => {
  it('reads <class>/<image>: classes sorted as Keras numbers them, the zip name as root, stray files reported', () => {
    const l = summary([
      'zoe/1.png',
      'amy/2.JPG',
      'amy/deep/3.webp',
      'zoe/',
      'readme.txt',
      'cover.png',
      'amy/notes.md',
      '__MACOSX/amy/._2.JPG',
      'amy/.DS_Store',
    ]);
    expect(l.classNames).toEqual(['amy', 'zoe']);
    expect(l.root).toBe('faces');
    expect(l.splitLevel).toBe(false);
    expect(l.items).toEqual([
      'zoe/1.png → faces/zoe/1.png zoe -',
      'amy/2.JPG → faces/amy/2.JPG amy -',
      'amy/deep/3.webp → faces/amy/deep/3.webp amy -',
    ]);
    expect(l.report).toEqual([
      { file: 'readme.txt', reason: 'not an image (png, jpg, webp, bmp or gif); ignored' },
      { file: 'amy/notes.md', reason: 'not an image (png, jpg, webp, bmp or gif); ignored' },
      { file: 'cover.png', reason: 'not in a class sub-folder; ignored' },
    ]);
  });

  it('keeps a train/ test/ val/ level and unwraps one top folder', () => {
    const l = summary([
      'set/train/b/1.png',
      'set/train/a/2.jpg',
      'set/test/a/3.png',
      'set/val/b/4.gif',
      'set/README',
      'set/train/loose.png',
    ]);
    expect(l.root).toBe('set');
    expect(l.classNames).toEqual(['a', 'b']);
    expect(l.splitLevel).toBe(true);
    expect(l.items).toEqual([
      'set/train/b/1.png → set/train/b/1.png b train',
      'set/train/a/2.jpg → set/train/a/2.jpg a train',
      'set/test/a/3.png → set/test/a/3.png a test',
      'set/val/b/4.gif → set/val/b/4.gif b validation',
    ]);
    expect(l.report.map((r) => r.file)).toEqual(['set/README', 'set/train/loose.png']);
    expect(
      layoutCounts(
        plainZipLayout(['set/train/b/1.png', 'set/train/a/2.jpg', 'set/test/a/3.png', 'set/val/b/4.gif'], 'x.zip'),
      ),
    ).toEqual({
      perClass: [2, 2],
      perSplit: { train: 2, test: 1, validation: 1, unsplit: 0 },
    });
  });

  it('reads a top folder that is a split as the split level, not as a wrapper', () => {
    const l = summary(['train/a/1.png', 'train/b/2.png'], 'k.zip');
    expect(l.items).toEqual(['train/a/1.png → k/train/a/1.png a train', 'train/b/2.png → k/train/b/2.png b train']);
  });

  it('refuses images with no class folder, and says where they are', () => {
    expect(() => plainZipLayout(['1.png', '2.jpg', 'notes.txt'], 'x.zip')).toThrow(
      'The zip has no manifest.json and no images in class folders (2 images lie directly at its top, outside any class folder). A plain dataset zip holds one folder per class (<class>/<image>), or train/<class>/… and test/<class>/….',
    );
    expect(() => plainZipLayout(['top/1.png', 'top/2.png'], 'x.zip')).toThrow(
      'The zip has no manifest.json and its images lie in one class folder (top/); a dataset needs one folder per class, at least two (<class>/<image>, or train/<class>/… and test/<class>/…).',
    );
    expect(() => plainZipLayout(['a/notes.txt'], 'x.zip')).toThrow(
      /no images in class folders \(no png, jpg, webp, bmp or gif at all\)/,
    );
  });

  it('refuses class folders beside a split level', () => {
    expect(() => plainZipLayout(['train/a/1.png', 'test/a/2.png', 'b/3.png'], 'x.zip')).toThrow(
      'The folder mixes a split level (train/<class>/…) with class folders beside it (b/…); use one layout: <class>/… or train/<class>/… and test/<class>/….',
    );
  });
});
