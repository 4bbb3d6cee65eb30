/**
 * The import rules of eslint.config.js, run through ESLint's own Node API on small in-memory files: page code
 * must not import TensorFlow.js (the thread boundary), and a page (src/features) must not import the lab
 * bridge or db/ (it goes through useWorkerJob or the store). A rule that stops matching turns these red.
 */
import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const eslint = new ESLint({ cwd: root });

/** The messages of the import rule for `code` linted as if it were the file at `filePath`. */
async function restrictedImports(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('import boundaries (eslint.config.js)', () => {
  it('reports a page that imports TensorFlow.js, in features/ and in ui/', async () => {
    const code = "import * as tf from '@tensorflow/tfjs';\nexport const t = tf.zeros([1]);\n";
    expect(await restrictedImports(code, 'src/features/see/page/Probe.tsx')).toEqual([
      expect.stringContaining('@tensorflow/tfjs'),
    ]);
    expect(await restrictedImports(code, 'src/ui/Probe.tsx')).toEqual([expect.stringContaining('@tensorflow/tfjs')]);
    expect(
      await restrictedImports("export { trainModel } from '../../ml/train';\n", 'src/features/train/page/Probe.ts'),
    ).toHaveLength(1);
  });

  it('reports a page that calls the lab bridge directly', async () => {
    const code = "import { labBridge } from '../../bridge/labBridge';\nexport const b = labBridge();\n";
    expect(await restrictedImports(code, 'src/features/share/page/Probe.tsx')).toEqual([
      expect.stringContaining('useWorkerJob'),
    ]);
  });

  it('reports a page that imports db/, types included', async () => {
    const code = "import { openLabDb } from '../../db/open';\nexport const o = openLabDb;\n";
    expect(await restrictedImports(code, 'src/features/data/page/Probe.tsx')).toEqual([
      expect.stringContaining('src/store/records.ts'),
    ]);
    const types = "import type { RunRecord } from '../../db/schema';\nexport type R = RunRecord;\n";
    expect(await restrictedImports(types, 'src/features/train/page/Probe.ts')).toHaveLength(1);
  });

  it('lets the store and the ui hook reach the bridge and db/, and pages reach them', async () => {
    const store =
      "import { labBridge } from '../bridge/labBridge';\nimport { openLabDb } from '../db/open';\nexport const x = [labBridge, openLabDb];\n";
    expect(await restrictedImports(store, 'src/store/Probe.ts')).toEqual([]);
    expect(await restrictedImports(store, 'src/ui/Probe.ts')).toEqual([]);
    const page =
      "import { useWorkerJob } from '../../ui/useWorkerJob';\nimport { refreshLists } from '../../store/actions';\nexport const y = [useWorkerJob, refreshLists];\n";
    expect(await restrictedImports(page, 'src/features/see/page/Probe.tsx')).toEqual([]);
  });
});
