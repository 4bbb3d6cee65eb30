/**
 * The report builder: the paper's numbers stand beside the study's, every stored number appears in a cell that
 * carries it unrounded (and its text is that number formatted), a step that did not run says so, and the HTML
 * is self-contained (no script, nothing fetched) with names escaped.
 */
import { describe, expect, it } from 'vitest';
import { studyFixture } from '../../../../test/studyFixture';
import { buildReportHtml, PAPER, pct, summaryLines } from './reportHtml';
import { withStep } from './plan';

/** Every `data-key` cell: key → [data-value, text]. */
function cells(html: string): Map<string, Array<{ value: string; text: string }>> {
  const out = new Map<string, Array<{ value: string; text: string }>>();
  for (const m of html.matchAll(/<td data-key="([^"]+)" data-value="([^"]*)">([^<]*)<\/td>/g)) {
    out.set(m[1], [...(out.get(m[1]) ?? []), { value: m[2], text: m[3] }]);
  }
  return out;
}

function expectCell(c: ReturnType<typeof cells>, key: string, value: number, text: string) {
  const found = c.get(key);
  expect(found, `cell ${key}`).toBeDefined();
  for (const f of found!) expect(f, key).toEqual({ value: String(value), text });
}

describe('buildReportHtml', () => {
  it("puts the paper's numbers beside the study's", () => {
    const c = cells(buildReportHtml(studyFixture()));
    expectCell(c, 'paper.validationAccuracy', 0.8002, '80.02 %');
    expectCell(c, 'paper.compare.vgg16', 0.59, '59.00 % after 15 epochs');
    expectCell(c, 'paper.attackBefore', 0.99, '99.00 %');
    expectCell(c, 'paper.attackAfter', 0.01, '1.00 %');
    expectCell(c, 'paper.peoplePre', 0.6, '60.00 %');
    expectCell(c, 'paper.peoplePost', 0.5845, '58.45 %');
    expect(PAPER.compareAfter15).toEqual({ paper: 0.68, vgg16: 0.59, vgg19: 0.61 });
  });

  it('shows every stored number, unrounded in data-value and formatted in the text', () => {
    const input = studyFixture();
    const c = cells(buildReportHtml(input));
    const s = input.study.steps;
    const v = s.validate.validation!;
    expectCell(c, 'validate.accuracy', v.accuracy, pct(v.accuracy));
    expectCell(c, 'validate.loss', v.loss, v.loss.toFixed(4));
    expectCell(c, 'validate.count', v.count, String(v.count));
    v.confusion.forEach((row, i) => row.forEach((n, j) => expectCell(c, `validate.confusion.${i}.${j}`, n, String(n))));
    v.perClassAccuracy.forEach((a, i) => expectCell(c, `validate.class${i}`, a, pct(a)));
    input.noiseBins!.counts.forEach((n, k) => expectCell(c, `noise.bin${k}`, n, String(n)));
    for (const id of s.compare.runIds!) {
      const run = input.runs.find((r) => r.id === id)!;
      const last = run.epochs[run.epochs.length - 1];
      const arch = run.config.architecture;
      expectCell(c, `compare.${arch}.testAccuracy`, last.testAccuracy, pct(last.testAccuracy));
      expectCell(c, `compare.${arch}.trainAccuracy`, last.trainAccuracy, pct(last.trainAccuracy));
      expectCell(c, `compare.${arch}.testLoss`, last.testLoss, last.testLoss.toFixed(4));
    }
    const trained = input.runs.find((r) => r.id === 'run-t')!;
    for (const m of trained.epochs) {
      expectCell(c, `train.epoch${m.epoch}.testAccuracy`, m.testAccuracy, pct(m.testAccuracy));
      expectCell(c, `train.epoch${m.epoch}.trainLoss`, m.trainLoss, m.trainLoss.toFixed(4));
      expectCell(c, `train.epoch${m.epoch}.seconds`, m.seconds, `${m.seconds.toFixed(1)} s`);
    }
    const a = s.attack.attack!;
    expectCell(c, 'attack.images', a.images, String(a.images));
    expectCell(c, 'attack.confidenceBefore', a.trueConfidenceBefore, pct(a.trueConfidenceBefore));
    expectCell(c, 'attack.confidenceAfter', a.trueConfidenceAfter, pct(a.trueConfidenceAfter));
    expectCell(c, 'attack.successRate', a.successRate, pct(a.successRate));
    const l = s.lastLayer.lastLayer!;
    expectCell(c, 'lastLayer.width', l.width, String(l.width));
    expectCell(c, 'lastLayer.modified', l.trueConfidenceModified, pct(l.trueConfidenceModified));
    expectCell(c, 'survey.pre', 23 / 40, `${pct(23 / 40)} (23 of 40)`);
    expectCell(c, 'survey.post', 11 / 20, `${pct(11 / 20)} (11 of 20)`);
    expectCell(c, 'survey.participants', 3, '3');
  });

  it('says when a step did not run, and why', () => {
    const input = studyFixture();
    let study = withStep(
      input.study,
      'attack',
      { status: 'skipped', note: 'Skipped: the time budget was spent.', attack: undefined },
      0,
    );
    study = withStep(study, 'lastLayer', { status: 'pending', lastLayer: undefined }, 0);
    study = withStep(
      study,
      'train',
      { status: 'cut', note: 'Stopped at its time allowance (20 s) after 2 of 3 epochs.' },
      0,
    );
    const html = buildReportHtml({ ...input, study });
    expect(html).toMatch(/data-step="attack" data-status="skipped">Skipped: the time budget was spent\.</);
    expect(html).toContain('data-step="lastLayer" data-status="pending">Not run: the study has not reached this step.');
    expect(html).toContain(
      'Cut short. Took 50.0 s of its 200 s allowance. Stopped at its time allowance (20 s) after 2 of 3 epochs.',
    );
    const c = cells(html);
    expect(c.has('attack.images')).toBe(false);
    expect(c.has('lastLayer.width')).toBe(false);
    // The headline says the measurement is missing instead of leaving a blank.
    expect(html).toMatch(/true-class confidence under attack<\/td><td>99\.00 % → 1\.00 %<\/td><td>not measured/);
  });

  it('says at the top (report and summary) when the person stopped the study, and only then', () => {
    const input = studyFixture();
    expect(buildReportHtml(input)).not.toContain('data-key="study.stopped"');
    const html = buildReportHtml({ ...input, study: { ...input.study, stoppedByUser: true } });
    expect(html).toContain('data-key="study.stopped"><strong>Stopped by you before the end:');
    expect(html.indexOf('study.stopped')).toBeLessThan(html.indexOf('data-section="noise"'));
    expect(summaryLines(input)[0]).not.toContain('stopped');
    expect(summaryLines({ ...input, study: { ...input.study, stoppedByUser: true } })[0]).toMatch(
      /, stopped by you before the end$/,
    );
  });

  it('is self-contained and escapes names', () => {
    const html = buildReportHtml(studyFixture());
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(html).toContain('B&lt;script&gt;ela');
    expect(html).toContain('Synthetic &lt;lookalikes&gt;');
    expect(html.match(/<svg /g)).toHaveLength(2); // comparison and training curves, inline
  });
});
