/**
 * The paper report: stored data in, one self-contained HTML string out (inline CSS, figures as inline SVG, no
 * script, nothing fetched). Pure and thread-neutral, so it is unit-tested in Node. Every number sits in a cell
 * with `data-key` (what it is) and `data-value` (the stored number, unrounded), beside how it was computed,
 * and the paper's figure where the paper has one.
 */
import type { EpochMetric } from '../../../train/shared/protocol';
import { STUDY_STEPS, STUDY_STEP_TITLES, type StudyRecord, type StudyStepName } from './types';

/** The paper's numbers (§4, §5, §7). */
export const PAPER = {
  validationAccuracy: 0.8002,
  /** Test accuracy after 15 epochs (§4's comparison table). */
  compareAfter15: { paper: 0.68, vgg16: 0.59, vgg19: 0.61 } as Record<string, number>,
  compareEpochs: 15,
  attackConfidenceBefore: 0.99,
  attackConfidenceAfter: 0.01,
  peoplePre: 0.6,
  peoplePost: 0.5845,
} as const;

/** What the report needs of a stored run (db RunRecord, structurally). */
export interface ReportRun {
  id: string;
  status: string;
  epochsDone: number;
  epochs: EpochMetric[];
  backend: string;
  config: {
    architecture: string;
    epochs: number;
    batchSize: number;
    learningRate: number;
    widthMultiplier: number;
    optimizer: string;
  };
}

export interface ReportInput {
  study: StudyRecord;
  dataset: { name: string; kind: string; classNames: string[]; count: number; classCounts: number[] } | null;
  runs: ReportRun[];
  /** The stored noise sorting of the dataset (noiseBins store). */
  noiseBins: { counts: number[]; folds: number; epochs: number; ms: number; createdAt: number } | null;
  generatedAt: number;
}

export const pct = (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(2)} %` : '—');

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A table cell holding a stored number: its text, and the number itself for a reader (or a test) to check. */
function num(key: string, value: number, text: string): string {
  return `<td data-key="${esc(key)}" data-value="${Number.isFinite(value) ? String(value) : ''}">${esc(text)}</td>`;
}

function table(label: string, head: string[], rows: string[][]): string {
  return `<table aria-label="${esc(label)}"><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.join('')}</tr>`)
    .join('')}</tbody></table>`;
}

const td = (s: string) => `<td>${esc(s)}</td>`;
const COLORS = ['#2b8a3e', '#d9480f', '#1971c2', '#862e9c'];

/** Accuracy per epoch as an inline SVG line chart (y from 0 to 1). */
export function accuracyChartSvg(
  title: string,
  series: Array<{ name: string; points: Array<[number, number]> }>,
): string {
  const w = 480;
  const h = 220;
  const pad = 36;
  const maxX = Math.max(1, ...series.flatMap((s) => s.points.map((p) => p[0])));
  const x = (v: number) => pad + ((v - (maxX > 1 ? 1 : 0)) / Math.max(1, maxX - (maxX > 1 ? 1 : 0))) * (w - 2 * pad);
  const y = (v: number) => h - pad - v * (h - 2 * pad);
  const grid = [0, 0.5, 1]
    .map(
      (v) =>
        `<line x1="${pad}" x2="${w - pad}" y1="${y(v)}" y2="${y(v)}" stroke="#ccc"/><text x="4" y="${y(v) + 4}" font-size="11">${v * 100} %</text>`,
    )
    .join('');
  const lines = series
    .map((s, i) => {
      const c = COLORS[i % COLORS.length];
      const pts = s.points.map(([a, b]) => `${x(a).toFixed(1)},${y(b).toFixed(1)}`).join(' ');
      const dots = s.points
        .map(([a, b]) => `<circle cx="${x(a).toFixed(1)}" cy="${y(b).toFixed(1)}" r="3" fill="${c}"/>`)
        .join('');
      return `<polyline fill="none" stroke="${c}" stroke-width="2" points="${pts}"/>${dots}<text x="${w - pad + 4}" y="${pad + 14 * i}" font-size="11" fill="${c}">${esc(s.name)}</text>`;
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${esc(title)}" width="${w + 90}" height="${h}" viewBox="0 0 ${w + 90} ${h}"><title>${esc(title)}</title>${grid}${lines}<text x="${w / 2}" y="${h - 6}" font-size="11">epoch</text></svg>`;
}

function stepStatus(study: StudyRecord, step: StudyStepName): string {
  const s = study.steps[step];
  const said: Record<string, string> = {
    pending: 'Not run: the study has not reached this step.',
    running: 'Not finished: this step was running when the report was made.',
    done: 'Done.',
    cut: 'Cut short.',
    skipped: 'Skipped.',
    failed: 'Failed.',
  };
  const time =
    s.ms !== undefined
      ? ` Took ${(s.ms / 1000).toFixed(1)} s of its ${((s.allowanceMs ?? 0) / 1000).toFixed(0)} s allowance.`
      : '';
  // A skip's or failure's note says it all ("Skipped: …"); otherwise the status, the time, then the note.
  const text =
    (s.status === 'skipped' || s.status === 'failed') && s.note
      ? s.note + time
      : said[s.status] + time + (s.note ? ` ${s.note}` : '');
  return `<p class="status" data-step="${step}" data-status="${s.status}">${esc(text)}</p>`;
}

const lastEpoch = (r: ReportRun): EpochMetric | undefined => r.epochs[r.epochs.length - 1];

function noiseSection(input: ReportInput): string {
  const n = input.study.steps.noise.noise;
  const bins = input.noiseBins;
  if (!n || !bins) return '';
  const total = bins.counts.reduce((a, b) => a + b, 0);
  const labels = ['≥ 90 %', '60–90 %', '< 60 %'];
  return (
    table(
      'Noise bins',
      ['bin (probability of its own label)', 'faces', 'share'],
      labels.map((l, k) => [
        td(l),
        num(`noise.bin${k}`, bins.counts[k], String(bins.counts[k])),
        num(`noise.share${k}`, bins.counts[k] / total, pct(bins.counts[k] / total)),
      ]),
    ) +
    `<p class="how">How: ${bins.folds} small models (compact, cross-fitted) trained for ${bins.epochs} epochs on the current labels; each face is scored by the model that did not train on it, and binned by the probability it gives the face's own label, as the paper sorted its crops before manual review. ${total} faces, ${(bins.ms / 1000).toFixed(1)} s. Paper: bins used to order manual review (no counts given).</p>`
  );
}

function compareSection(input: ReportInput): string {
  const ids = input.study.steps.compare.runIds ?? [];
  const runs = ids.map((id) => input.runs.find((r) => r.id === id)).filter((r): r is ReportRun => !!r);
  if (runs.length === 0) return '';
  const rows = runs.map((r) => {
    const last = lastEpoch(r);
    const arch = r.config.architecture;
    const paper = PAPER.compareAfter15[arch];
    const seconds = r.epochs.reduce((s, m) => s + m.seconds, 0);
    return [
      td(arch),
      `<td data-key="compare.${esc(arch)}.runId">${esc(r.id)}</td>`,
      num(`compare.${arch}.epochs`, r.epochsDone, `${r.epochsDone} of ${r.config.epochs}`),
      last ? num(`compare.${arch}.testAccuracy`, last.testAccuracy, pct(last.testAccuracy)) : td('—'),
      last ? num(`compare.${arch}.trainAccuracy`, last.trainAccuracy, pct(last.trainAccuracy)) : td('—'),
      last ? num(`compare.${arch}.testLoss`, last.testLoss, last.testLoss.toFixed(4)) : td('—'),
      num(`compare.${arch}.seconds`, seconds, `${seconds.toFixed(1)} s`),
      paper !== undefined
        ? num(`paper.compare.${arch}`, paper, `${pct(paper)} after ${PAPER.compareEpochs} epochs`)
        : td('— (not in the paper)'),
    ];
  });
  return (
    table(
      'Architecture comparison',
      [
        'preset',
        'run',
        'epochs',
        'test accuracy (last epoch)',
        'training accuracy',
        'test loss',
        'training time',
        'paper',
      ],
      rows,
    ) +
    `<p class="how">How: each preset trained in turn with the same settings, split and seed (the Train page's Compare architectures); accuracy is the last epoch's on the test split, from the run's stored epoch metrics. The paper compared its custom model, VGG16 and VGG19 after ${PAPER.compareEpochs} epochs.</p>` +
    accuracyChartSvg(
      'Test accuracy per epoch, by preset',
      runs.map((r) => ({
        name: r.config.architecture,
        points: r.epochs.map((m) => [m.epoch, m.testAccuracy] as [number, number]),
      })),
    )
  );
}

function trainSection(input: ReportInput): string {
  const id = input.study.steps.train.runIds?.[0];
  const run = id ? input.runs.find((r) => r.id === id) : undefined;
  if (!run) return '';
  const c = run.config;
  const rows = run.epochs.map((m) => [
    num(`train.epoch${m.epoch}.epoch`, m.epoch, String(m.epoch)),
    num(`train.epoch${m.epoch}.trainLoss`, m.trainLoss, m.trainLoss.toFixed(4)),
    num(`train.epoch${m.epoch}.trainAccuracy`, m.trainAccuracy, pct(m.trainAccuracy)),
    num(`train.epoch${m.epoch}.testLoss`, m.testLoss, m.testLoss.toFixed(4)),
    num(`train.epoch${m.epoch}.testAccuracy`, m.testAccuracy, pct(m.testAccuracy)),
    num(`train.epoch${m.epoch}.seconds`, m.seconds, `${m.seconds.toFixed(1)} s`),
  ]);
  return (
    `<p>Run <code data-key="train.runId">${esc(run.id)}</code>: ${esc(c.architecture)}, width × ${c.widthMultiplier}, batch ${c.batchSize}, ${esc(c.optimizer)} at learning rate ${c.learningRate}, ${run.epochsDone} of ${c.epochs} epochs on ${esc(run.backend)} (status ${esc(run.status)}).</p>` +
    table(
      'Training per epoch',
      ['epoch', 'training loss', 'training accuracy', 'test loss', 'test accuracy', 'time'],
      rows,
    ) +
    `<p class="how">How: the run's stored epoch metrics (training values averaged over the epoch's batches; test values on the whole test split after the epoch).</p>` +
    accuracyChartSvg('Accuracy per epoch', [
      { name: 'test', points: run.epochs.map((m) => [m.epoch, m.testAccuracy]) },
      { name: 'training', points: run.epochs.map((m) => [m.epoch, m.trainAccuracy]) },
    ])
  );
}

function validateSection(input: ReportInput): string {
  const v = input.study.steps.validate.validation;
  const names = input.dataset?.classNames ?? [];
  if (!v) return '';
  const confusion = v.confusion.map((row, i) => [
    td(`true ${names[i] ?? i}`),
    ...row.map((n, j) => num(`validate.confusion.${i}.${j}`, n, String(n))),
  ]);
  return (
    table(
      'Validation',
      ['measure', 'this study', 'paper', 'how'],
      [
        [
          td('validation accuracy'),
          num('validate.accuracy', v.accuracy, pct(v.accuracy)),
          num('paper.validationAccuracy', PAPER.validationAccuracy, pct(PAPER.validationAccuracy)),
          td(`correct ÷ ${v.count} validation faces, the trained run's last checkpoint`),
        ],
        [
          td('validation loss'),
          num('validate.loss', v.loss, v.loss.toFixed(4)),
          td('—'),
          td('mean cross-entropy over the validation faces'),
        ],
        [
          td('faces'),
          num('validate.count', v.count, String(v.count)),
          td('—'),
          td('validation split, rejected faces left out'),
        ],
        ...v.perClassAccuracy.map((a, i) => [
          td(`accuracy on ${names[i] ?? i}`),
          num(`validate.class${i}`, a, pct(a)),
          td('—'),
          td('correct ÷ faces of this person'),
        ]),
      ],
    ) + table('Confusion matrix (validation)', ['', ...names.map((n) => `predicted ${n}`)], confusion)
  );
}

function attackSection(input: ReportInput): string {
  const a = input.study.steps.attack.attack;
  if (!a) return '';
  return table(
    'Attack',
    ['measure', 'this study', 'paper', 'how'],
    [
      [
        td('faces attacked'),
        num('attack.images', a.images, String(a.images)),
        td('200 per class'),
        td(`up to ${a.perClass} correctly classified ${a.split} faces per class, of ${a.examined} examined`),
      ],
      [
        td('confidence in the true class, before'),
        num('attack.confidenceBefore', a.trueConfidenceBefore, pct(a.trueConfidenceBefore)),
        num('paper.attackBefore', PAPER.attackConfidenceBefore, pct(PAPER.attackConfidenceBefore)),
        td('mean softmax probability of each attacked face’s own person, original image'),
      ],
      [
        td('confidence in the true class, after'),
        num('attack.confidenceAfter', a.trueConfidenceAfter, pct(a.trueConfidenceAfter)),
        num('paper.attackAfter', PAPER.attackConfidenceAfter, pct(PAPER.attackConfidenceAfter)),
        td(`the same, on the modified image (${a.ruleText})`),
      ],
      [
        td('faces fooled'),
        num('attack.successRate', a.successRate, pct(a.successRate)),
        td('—'),
        td('share of attacked faces the model gives the other person ≥ the stop confidence'),
      ],
      [
        td('accuracy before → after'),
        num('attack.accuracyAfter', a.accuracyAfter, `${pct(a.accuracyBefore)} → ${pct(a.accuracyAfter)}`),
        td('—'),
        td('accuracy on the attacked faces, originals then modified'),
      ],
      [
        td('median steps'),
        num('attack.medianSteps', a.medianSteps, String(a.medianSteps)),
        td('—'),
        td('attack iterations until it stopped, median over faces'),
      ],
    ],
  );
}

function lastLayerSection(input: ReportInput): string {
  const l = input.study.steps.lastLayer.lastLayer;
  if (!l) return '';
  return table(
    'Last layer',
    ['measure', 'this study', 'how'],
    [
      [
        td('layer'),
        `<td data-key="lastLayer.layer">${esc(l.layerName)}</td>`,
        td('the activations feeding the softmax'),
      ],
      [td('units'), num('lastLayer.width', l.width, String(l.width)), td('width of that layer')],
      [
        td('images'),
        num('lastLayer.images', l.images, String(l.images)),
        td('correctly classified test faces, each also attacked (±2.5 % of the range)'),
      ],
      [
        td('true-class confidence, originals'),
        num('lastLayer.original', l.trueConfidenceOriginal, pct(l.trueConfidenceOriginal)),
        td('mean softmax probability of the own person'),
      ],
      [
        td('true-class confidence, modified'),
        num('lastLayer.modified', l.trueConfidenceModified, pct(l.trueConfidenceModified)),
        td('the same on the attacked copies'),
      ],
    ],
  );
}

function surveySection(input: ReportInput): string {
  const s = input.study.steps.survey.survey;
  if (!s) return '';
  if (s.participants === 0)
    return `<p data-key="survey.none">No survey results in this browser: run a survey on the Survey page to put people's numbers beside the paper's.</p>`;
  const pre = s.pre.correct / s.pre.trials;
  const post = s.post.correct / s.post.trials;
  return table(
    'Survey',
    ['measure', 'this study', 'paper', 'how'],
    [
      [
        td('people correct, originals'),
        num('survey.pre', pre, `${pct(pre)} (${s.pre.correct} of ${s.pre.trials})`),
        num('paper.peoplePre', PAPER.peoplePre, pct(PAPER.peoplePre)),
        td('answers "same person?" correct ÷ trials, all participants of the originals condition'),
      ],
      [
        td('people correct, modified images'),
        num('survey.post', post, `${pct(post)} (${s.post.correct} of ${s.post.trials})`),
        num('paper.peoplePost', PAPER.peoplePost, pct(PAPER.peoplePost)),
        td('the same for the modified-images condition'),
      ],
      [
        td('participants'),
        num('survey.participants', s.participants, String(s.participants)),
        td('—'),
        td(`all results of ${s.surveys} survey(s) in this browser`),
      ],
    ],
  );
}

const SECTIONS: Record<StudyStepName, (i: ReportInput) => string> = {
  noise: noiseSection,
  compare: compareSection,
  train: trainSection,
  validate: validateSection,
  attack: attackSection,
  lastLayer: lastLayerSection,
  survey: surveySection,
};

/** The paper's headline numbers beside this study's (the report's first table). */
function headline(input: ReportInput): string {
  const { study } = input;
  const v = study.steps.validate.validation;
  const a = study.steps.attack.attack;
  const s = study.steps.survey.survey;
  const notRun = td('not measured (see its section)');
  const rows = [
    [
      td('validation accuracy'),
      num('paper.validationAccuracy', PAPER.validationAccuracy, pct(PAPER.validationAccuracy)),
      v ? num('validate.accuracy', v.accuracy, pct(v.accuracy)) : notRun,
    ],
    [
      td('true-class confidence under attack'),
      td(`${pct(PAPER.attackConfidenceBefore)} → ${pct(PAPER.attackConfidenceAfter)}`),
      a ? td(`${pct(a.trueConfidenceBefore)} → ${pct(a.trueConfidenceAfter)}`) : notRun,
    ],
    [
      td('people correct, originals → modified'),
      td(`${pct(PAPER.peoplePre)} → ${pct(PAPER.peoplePost)}`),
      s && s.participants > 0
        ? td(`${pct(s.pre.correct / s.pre.trials)} → ${pct(s.post.correct / s.post.trials)}`)
        : notRun,
    ],
  ];
  return table('Paper and this study', ['measure', 'paper', 'this study'], rows);
}

function stepLog(study: StudyRecord): string {
  return table(
    'Steps',
    ['step', 'status', 'allowance', 'time', 'note'],
    STUDY_STEPS.map((s) => {
      const st = study.steps[s];
      return [
        td(STUDY_STEP_TITLES[s]),
        `<td data-key="step.${s}">${st.status}</td>`,
        td(st.allowanceMs !== undefined ? `${(st.allowanceMs / 1000).toFixed(0)} s` : '—'),
        td(st.ms !== undefined ? `${(st.ms / 1000).toFixed(1)} s` : '—'),
        td(st.note ?? ''),
      ];
    }),
  );
}

const CSS = `body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1d1d1f}
table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}
th{background:#f3f3f3}.how{color:#555;font-size:.9rem}.status{font-weight:600}section{margin:1.5rem 0}`;

/** A study the person stopped is not the whole protocol: said at the top, so the report is not taken for one. */
const STOPPED_LINE =
  '<p class="stopped" data-key="study.stopped"><strong>Stopped by you before the end: the steps cut or skipped below did not run to completion, so this is not the full study.</strong></p>';

export function buildReportHtml(input: ReportInput): string {
  const { study, dataset } = input;
  const set = study.settings;
  const data = dataset
    ? `${esc(dataset.name)} (${esc(dataset.kind)}): ${dataset.count} faces, ${dataset.classNames.map((n, i) => `${esc(n)} ${dataset.classCounts[i]}`).join(', ')}`
    : 'the dataset is no longer stored';
  const sections = STUDY_STEPS.map(
    (s) =>
      `<section data-section="${s}"><h2>${esc(STUDY_STEP_TITLES[s])}</h2>${stepStatus(study, s)}${SECTIONS[s](input)}</section>`,
  ).join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Lookalike Lab: the paper's study on ${esc(dataset?.name ?? 'a dataset')}</title><style>${CSS}</style></head><body>
<h1>The paper's study, re-run</h1>
<p>Data: ${data}. Study ${esc(study.id)}, started ${new Date(study.createdAt).toISOString()}, report made ${new Date(input.generatedAt).toISOString()}.
Time budget ${(set.budgetMs / 1000).toFixed(0)} s, ${(study.spentMs / 1000).toFixed(1)} s spent; every step ran with the app's own training, evaluation and attack code, and every number below is the one the app stored.</p>
${study.stoppedByUser ? STOPPED_LINE : ''}
${headline(input)}
${stepLog(study)}
${sections}
</body></html>`;
}

/** The one-page summary's lines (drawn to a PNG on the page): the headline numbers and each step's status. */
export function summaryLines(input: ReportInput): string[] {
  const { study } = input;
  const v = study.steps.validate.validation;
  const a = study.steps.attack.attack;
  const s = study.steps.survey.survey;
  const compare = (study.steps.compare.runIds ?? [])
    .map((id) => input.runs.find((r) => r.id === id))
    .filter((r): r is ReportRun => !!r)
    .map(
      (r) => `${r.config.architecture} ${lastEpoch(r) ? pct(lastEpoch(r)!.testAccuracy) : '—'} after ${r.epochsDone}`,
    );
  return [
    `The paper's study on ${input.dataset?.name ?? 'a dataset'} (${input.dataset?.count ?? 0} faces)${study.stoppedByUser ? ', stopped by you before the end' : ''}`,
    `Validation accuracy: ${v ? pct(v.accuracy) : 'not measured'} (paper 80.02 %)`,
    `Comparison: ${compare.length ? compare.join(', ') : 'not run'} (paper after 15 epochs: custom 68 %, VGG16 59 %, VGG19 61 %)`,
    `Attack, true-class confidence: ${a ? `${pct(a.trueConfidenceBefore)} → ${pct(a.trueConfidenceAfter)} on ${a.images} faces` : 'not measured'} (paper 99 % → 1 %)`,
    `People: ${s && s.participants > 0 ? `${pct(s.pre.correct / s.pre.trials)} → ${pct(s.post.correct / s.post.trials)}` : 'no survey results'} (paper 60.0 % → 58.45 %)`,
    ...STUDY_STEPS.map(
      (st) =>
        `${STUDY_STEP_TITLES[st]}: ${study.steps[st].status}${study.steps[st].note ? ` (${study.steps[st].note})` : ''}`,
    ),
  ];
}
