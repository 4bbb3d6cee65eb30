/**
 * The one-page PNG summary: the report's summary lines (shared/study/reportHtml.ts) drawn on a 2D canvas in
 * the page (no model involved), A4 portrait at 150 dpi, with bars for the paper's numbers beside the study's.
 */
import type { ReportInput } from '../../shared/study/reportHtml';
import { PAPER, summaryLines } from '../../shared/study/reportHtml';

export const SUMMARY_SIZE = { width: 1240, height: 1754 } as const;

function wrap(ctx: CanvasRenderingContext2D, text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const next = line ? `${line} ${word}` : word;
    if (ctx.measureText(next).width > width && line) {
      out.push(line);
      line = word;
    } else line = next;
  }
  if (line) out.push(line);
  return out;
}

function bars(ctx: CanvasRenderingContext2D, y: number, title: string, rows: Array<[string, number | null]>): number {
  ctx.font = 'bold 28px sans-serif';
  ctx.fillStyle = '#1d1d1f';
  ctx.fillText(title, 80, y);
  y += 16;
  for (const [label, v] of rows) {
    ctx.font = '24px sans-serif';
    ctx.fillStyle = '#1d1d1f';
    ctx.fillText(label, 80, y + 30);
    ctx.fillStyle = '#e9ecef';
    ctx.fillRect(420, y + 8, 600, 30);
    if (v !== null && Number.isFinite(v)) {
      ctx.fillStyle = label.startsWith('paper') ? '#868e96' : '#1971c2';
      ctx.fillRect(420, y + 8, 600 * Math.max(0, Math.min(1, v)), 30);
      ctx.fillStyle = '#1d1d1f';
      ctx.fillText(`${(v * 100).toFixed(2)} %`, 1036, y + 32);
    } else {
      ctx.fillStyle = '#1d1d1f';
      ctx.fillText('not measured', 1036, y + 32);
    }
    y += 44;
  }
  return y + 24;
}

export async function summaryPng(input: ReportInput): Promise<Blob> {
  const canvas = document.createElement('canvas');
  canvas.width = SUMMARY_SIZE.width;
  canvas.height = SUMMARY_SIZE.height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('This browser cannot draw the summary (no 2D canvas).');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  const [title, ...lines] = summaryLines(input);
  ctx.fillStyle = '#1d1d1f';
  ctx.font = 'bold 40px sans-serif';
  let y = 100;
  for (const l of wrap(ctx, title, 1080)) {
    ctx.fillText(l, 80, y);
    y += 52;
  }
  y += 20;
  const s = input.study.steps;
  y = bars(ctx, y, 'Validation accuracy', [
    ['paper', PAPER.validationAccuracy],
    ['this study', s.validate.validation?.accuracy ?? null],
  ]);
  y = bars(ctx, y, 'True-class confidence under attack', [
    ['paper, before', PAPER.attackConfidenceBefore],
    ['paper, after', PAPER.attackConfidenceAfter],
    ['this study, before', s.attack.attack?.trueConfidenceBefore ?? null],
    ['this study, after', s.attack.attack?.trueConfidenceAfter ?? null],
  ]);
  ctx.font = '24px sans-serif';
  ctx.fillStyle = '#1d1d1f';
  for (const text of lines) {
    for (const l of wrap(ctx, text, 1080)) {
      if (y > SUMMARY_SIZE.height - 40) break;
      ctx.fillText(l, 80, y);
      y += 32;
    }
    y += 8;
  }
  return new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('The summary PNG could not be encoded.'))), 'image/png'),
  );
}
