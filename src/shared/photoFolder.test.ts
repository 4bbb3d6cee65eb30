import { describe, expect, it } from 'vitest';
import { labelFolder, labelPath } from './photoFolder';

describe('labelPath', () => {
  it('takes the first-level sub-folder as the class', () => {
    expect(labelPath('photos/alice/a1.jpg')).toEqual({ ok: true, className: 'alice', isValidation: false });
    expect(labelPath('photos/bob/2019/trip/b.png')).toEqual({ ok: true, className: 'bob', isValidation: false });
    expect(labelPath('/photos/alice/a1.jpg')).toEqual({ ok: true, className: 'alice', isValidation: false });
  });
  it('reads validation/<class>/… as the validation set', () => {
    expect(labelPath('photos/validation/alice/v.jpg')).toEqual({ ok: true, className: 'alice', isValidation: true });
    expect(labelPath('photos/Validation/bob/x/v.jpg')).toEqual({ ok: true, className: 'bob', isValidation: true });
    expect(labelPath('photos/validation/v.jpg')).toMatchObject({ ok: false, reason: expect.stringContaining('validation') });
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
  });
});
