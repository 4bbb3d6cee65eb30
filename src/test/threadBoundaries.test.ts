/**
 * The thread-boundary lint rules (eslint.config.js) fire: ESLint's own Node API lints small snippets as if they sat
 * in each kind of folder. A rule that stopped matching its folders (a glob typo after a move) turns this red.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

const cases: Array<{ where: string; file: string; code: string; allowed: boolean }> = [
  {
    where: 'a page importing TensorFlow.js',
    file: 'src/features/fool/page/Probe.tsx',
    code: "import * as tf from '@tensorflow/tfjs';\nexport const x = tf;\n",
    allowed: false,
  },
  {
    where: 'a page importing MediaPipe',
    file: 'src/features/data/page/Probe.tsx',
    code: "import * as mp from '@mediapipe/tasks-vision';\nexport const x = mp;\n",
    allowed: false,
  },
  {
    where: "a page importing its capability's worker code",
    file: 'src/features/see/page/Probe.tsx',
    code: "import { saliencyMap } from '../worker/saliency';\nexport const x = saliencyMap;\n",
    allowed: false,
  },
  {
    where: 'a page importing the ML platform',
    file: 'src/features/train/page/Probe.tsx',
    code: "import { buildModel } from '../../../ml/models';\nexport const x = buildModel;\n",
    allowed: false,
  },
  {
    where: 'the store importing TensorFlow.js',
    file: 'src/store/probe.ts',
    code: "import * as tf from '@tensorflow/tfjs';\nexport const x = tf;\n",
    allowed: false,
  },
  {
    where: 'worker code importing React',
    file: 'src/features/see/worker/probe.ts',
    code: "import { useState } from 'react';\nexport const x = useState;\n",
    allowed: false,
  },
  {
    where: 'worker code importing a page',
    file: 'src/features/fool/worker/probe.ts',
    code: "import { FoolPage } from '../page/FoolPage';\nexport const x = FoolPage;\n",
    allowed: false,
  },
  {
    where: 'the ML platform importing the store',
    file: 'src/ml/probe.ts',
    code: "import { useLabStore } from '../store/labStore';\nexport const x = useLabStore;\n",
    allowed: false,
  },
  {
    where: 'shared code importing TensorFlow.js',
    file: 'src/features/fool/shared/probe.ts',
    code: "import * as tf from '@tensorflow/tfjs';\nexport const x = tf;\n",
    allowed: false,
  },
  {
    where: 'shared code importing worker code',
    file: 'src/shared/probe.ts',
    code: "import { buildModel } from '../ml/models';\nexport const x = buildModel;\n",
    allowed: false,
  },
  // The same imports where they belong pass, so the rules are not simply rejecting everything.
  {
    where: 'worker code importing TensorFlow.js',
    file: 'src/features/see/worker/probe.ts',
    code: "import * as tf from '@tensorflow/tfjs';\nexport const x = tf;\n",
    allowed: true,
  },
  {
    where: "a page importing its capability's shared code",
    file: 'src/features/see/page/Probe.tsx',
    code: "import type { SeeApi } from '../shared/protocol';\nexport type X = SeeApi;\n",
    allowed: true,
  },
  {
    where: 'worker code importing shared code',
    file: 'src/features/fool/worker/probe.ts',
    code: "import { attackKind } from '../shared/attackKinds';\nexport const x = attackKind;\n",
    allowed: true,
  },
];

describe('thread-boundary lint rules', () => {
  for (const c of cases) {
    it(`${c.allowed ? 'allow' : 'reject'} ${c.where}`, async () => {
      const messages = await restrictedImports(c.file, c.code);
      if (c.allowed) expect(messages).toEqual([]);
      else expect(messages.length).toBeGreaterThan(0);
    }, 30_000);
  }
});
