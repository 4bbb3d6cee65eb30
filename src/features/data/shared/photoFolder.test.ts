import { describe, expect, it } from 'vitest';
import { labelFolder, labelPath } from './photoFolder';

describe('labelPath', () => {
  it('takes the first-level sub-folder as the class', () => {
    expect(labelPath('photos/alice/a1.jpg')).toEqual({
      ok: true,
      className: 'alice',
      isValidation: false,
      split: null,
    });
    expect(labelPath('photos/bob/2019/trip/b.png')).toEqual({
      ok: true,
      className: 'bob',
      isValidation: false,
      split: null,
    });
    expect(labelPath('/photos/alice/a1.jpg')).toEqual({
      ok: true,
      className: 'alice',
      isValidation: false,
      split: null,
    });
  });
  it('reads validation/<class>/… as the validation set', () => {
    expect(labelPath('photos/validation/alice/v.jpg')).toEqual({
      ok: true,
      className: 'alice',
      isValidation: true,
      split: 'validation',
    });
    expect(labelPath('photos/Validation/bob/x/v.jpg')).toEqual({
      ok: true,
      className: 'bob',
      isValidation: true,
      split: 'validation',
    });
    expect(labelPath('photos/validation/v.jpg')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('validation'),
    });
  });
  it('reads a Keras split level: train/, test/, validation/ or val/, then the class', () => {
    expect(labelPath('p/train/alice/1.png')).toEqual({
      ok: true,
      className: 'alice',
      isValidation: false,
      split: 'train',
    });
    expect(labelPath('p/Test/bob/x/1.png')).toEqual({ ok: true, className: 'bob', isValidation: false, split: 'test' });
    expect(labelPath('p/val/bob/1.png')).toEqual({
      ok: true,
      className: 'bob',
      isValidation: true,
      split: 'validation',
    });
    expect(labelPath('p/train/1.png')).toEqual({ ok: false, reason: 'in train/ but not in a class sub-folder' });
  });
  it('skips files outside class folders and hidden files', () => {
    expect(labelPath('photos/readme.txt')).toEqual({ ok: false, reason: 'not in a class sub-folder' });
    expect(labelPath('a.jpg')).toMatchObject({ ok: false });
    expect(labelPath('photos/alice/.DS_Store')).toMatchObject({ ok: false, silent: true });
    expect(labelPath('photos/.git/alice/x.jpg')).toMatchObject({ ok: false, silent: true });
  });
});

describe('labelFolder', () => {
  it('sorts class names like Keras and numbers the labels, validation classes included', () => {
    const f = labelFolder(
      ['p/zoe/1.jpg', 'p/alice/1.jpg', 'p/validation/carl/1.jpg', 'p/notes.txt', 'p/alice/.hidden', 'p/zoe/2.jpg'].map(
        (path) => ({ item: path, path }),
      ),
    );
    expect(f.classNames).toEqual(['alice', 'carl', 'zoe']);
    expect(f.items.map((i) => [i.path, i.label, i.isValidation])).toEqual([
      ['p/zoe/1.jpg', 2, false],
      ['p/alice/1.jpg', 0, false],
      ['p/validation/carl/1.jpg', 1, true],
      ['p/zoe/2.jpg', 2, false],
    ]);
    expect(f.skipped).toEqual([{ path: 'p/notes.txt', reason: 'not in a class sub-folder' }]);
    expect(f.root).toBe('p');
    expect([f.splitLevel, f.refused]).toEqual([false, null]);
  });

  it('keeps a train/ test/ val/ level: classes from the second level, each file with its split', () => {
    const f = labelFolder(
      ['k/train/bob/1.png', 'k/test/alice/2.jpg', 'k/val/bob/3.png', 'k/train/4.png'].map((path) => ({
        item: path,
        path,
      })),
    );
    expect(f.classNames).toEqual(['alice', 'bob']);
    expect(f.items.map((i) => [i.path, i.label, i.split])).toEqual([
      ['k/train/bob/1.png', 1, 'train'],
      ['k/test/alice/2.jpg', 0, 'test'],
      ['k/val/bob/3.png', 1, 'validation'],
    ]);
    expect(f.skipped).toEqual([{ path: 'k/train/4.png', reason: 'in train/ but not in a class sub-folder' }]);
    expect([f.splitLevel, f.refused]).toEqual([true, null]);
  });

  it('refuses class folders beside a split level, naming both', () => {
    const f = labelFolder(['k/train/bob/1.png', 'k/alice/2.png'].map((path) => ({ item: path, path })));
    expect(f.refused).toBe(
      'The folder mixes a split level (train/<class>/…) with class folders beside it (alice/…); use one layout: <class>/… or train/<class>/… and test/<class>/….',
    );
  });
});
