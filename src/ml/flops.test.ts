/** The FLOP counter against hand counts (and against bench/torch_peer.py's count of the same architectures). */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, PAPER_CONFIG } from '../shared/trainingConfig';
import { countFlops } from './flops';
import { buildModel } from './models';

const conv = (hw: number, cin: number, cout: number) => 2 * hw * hw * cout * cin * 9;

function flopsOf(architecture: 'compact' | 'vgg16' | 'vgg19' | 'paper') {
  const base = architecture === 'paper' ? PAPER_CONFIG : DEFAULT_CONFIG;
  const model = buildModel({ ...base, architecture, numClasses: 2 });
  try {
    return countFlops(model);
  } finally {
    model.dispose();
  }
}

describe('countFlops', () => {
  it('compact: four convs at 64, 32, 16, 8 px and the dense head (≈ 27 MFLOP, as modelZoo.ts says)', () => {
    const f = flopsOf('compact');
    const expected =
      conv(64, 3, 16) + conv(32, 16, 32) + conv(16, 32, 64) + conv(8, 64, 64) + 2 * 1024 * 64 + 2 * 64 * 2;
    expect(f.forward).toBe(expected);
    expect(f.forward).toBe(27_263_232);
    expect(f.train).toBe(3 * expected);
    expect(f.layers.map((l) => l.name)).toEqual(['conv1', 'conv2', 'conv3', 'conv4', 'dense64', 'predictions']);
  });

  it('vgg16 and vgg19 at 64×64 (torch_peer.py counts the same)', () => {
    const vgg = (perBlock: number[]) => {
      const widths = [64, 128, 256, 512, 512];
      let cin = 3;
      let n = 0;
      perBlock.forEach((k, b) => {
        for (let i = 0; i < k; i++) {
          n += conv(64 >> b, cin, widths[b]);
          cin = widths[b];
        }
      });
      return n + 2 * 2048 * 512 + 2 * 512 * 2;
    };
    expect(flopsOf('vgg16').forward).toBe(vgg([2, 2, 3, 3, 3]));
    expect(flopsOf('vgg16').forward).toBe(2_507_671_552);
    expect(flopsOf('vgg19').forward).toBe(3_187_148_800);
  });

  it('paper: 13 convs without pooling (the last one valid, 62×62) and the 492,032 × 128 dense layer', () => {
    const f = flopsOf('paper');
    let expected = conv(64, 3, 64) + conv(64, 64, 64) + conv(64, 64, 128) + 9 * conv(64, 128, 128) + conv(62, 128, 128);
    expected += 2 * 492_032 * 128 + 2 * 128 * 512 + 2 * 512 * 2;
    expect(f.forward).toBe(expected);
    expect(f.forward).toBe(13_051_496_448);
  });
});
