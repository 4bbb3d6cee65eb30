import { describe, expect, it } from 'vitest';
import { DEFAULT_ATTACK } from '../features/fool/shared/attackSettings';
import {
  foolLinkParams,
  hashParams,
  parseFoolLink,
  parseSeeLink,
  parseTrainLink,
  seeLinkParams,
  seeTab,
  shareUrl,
  trainLinkParams,
} from './deepLink';
import { DEFAULT_ADVERSARIAL, PAPER_CONFIG } from './trainingConfig';

describe('deep links', () => {
  it('round-trips every attack setting that matters for each attack', () => {
    for (const settings of [
      {
        ...DEFAULT_ATTACK,
        rule: 'range' as const,
        fraction: 0.03,
        stopConfidence: 0.95,
        stepSize: 0.25,
        maxSteps: 300,
      },
      {
        ...DEFAULT_ATTACK,
        attack: 'pgd' as const,
        epsilon: 4,
        targeted: false,
        stepSize: 1,
        maxSteps: 20,
        seed: 9,
        quantised: false,
      },
      { ...DEFAULT_ATTACK, attack: 'fgsm' as const, epsilon: 2 },
    ]) {
      const q = foolLinkParams({ run: 'demo', img: 12, settings });
      const back = parseFoolLink(hashParams(`#/fool?${q}`))!;
      expect(back.run).toBe('demo');
      expect(back.img).toBe(12);
      for (const key of ['attack', 'rule', 'fraction', 'epsilon', 'targeted', 'stopConfidence', 'quantised'] as const) {
        if (settings.attack !== 'paper' && (key === 'rule' || key === 'fraction' || key === 'stopConfidence')) continue;
        if (settings.attack === 'paper' && (key === 'epsilon' || key === 'targeted')) continue;
        expect(back.settings[key]).toEqual(settings[key]);
      }
      if (settings.attack !== 'fgsm')
        expect([back.settings.stepSize, back.settings.maxSteps]).toEqual([settings.stepSize, settings.maxSteps]);
    }
  });

  it('clamps hostile or broken values instead of trusting them', () => {
    const l = parseFoolLink(hashParams('#/fool?run=x&img=-5&attack=evil&frac=7&steps=1e9&eps=abc'))!;
    expect(l.img).toBe(0);
    expect(l.settings.attack).toBe('paper');
    expect(l.settings.fraction).toBe(1);
    expect(l.settings.maxSteps).toBe(5000);
    expect(l.settings.epsilon).toBe(DEFAULT_ATTACK.epsilon);
    expect(parseFoolLink(hashParams('#/fool'))).toBeNull();
  });

  it('training settings round-trip, adversarial training included; junk falls back', () => {
    for (const config of [
      PAPER_CONFIG,
      {
        ...PAPER_CONFIG,
        architecture: 'vgg16' as const,
        adversarial: DEFAULT_ADVERSARIAL,
        classWeighting: 'balanced' as const,
      },
    ]) {
      expect(parseTrainLink(hashParams(`#/train?${trainLinkParams(config)}`))).toEqual({
        ...config,
        adversarial: config.adversarial,
      });
    }
    const junk = parseTrainLink(hashParams('#/train?arch=resnet&epochs=-3&lr=abc'))!;
    expect(junk.architecture).toBe('compact');
    expect(junk.epochs).toBe(1);
    expect(parseTrainLink(hashParams('#/train'))).toBeNull();
  });

  it('See links and full URLs', () => {
    const q = seeLinkParams({ run: 'demo', img: 3, layer: 'conv2' });
    // A link from before the tabs opens the tab of its view: the layer's maximised filters.
    expect(parseSeeLink(hashParams(`#/see?${q}`))).toEqual({
      run: 'demo',
      img: 3,
      layer: 'conv2',
      tab: 'activation-max',
    });
    expect(shareUrl('https://x.org/lab/', 'see', q, true)).toBe(
      'https://x.org/lab/?demo#/see?run=demo&img=3&layer=conv2',
    );
    const withTab = seeLinkParams({ run: 'demo', img: 3, layer: null, tab: 'saliency' });
    expect(withTab).toBe('run=demo&img=3&tab=saliency');
    expect(parseSeeLink(hashParams(`#/see?${withTab}`))).toEqual({ run: 'demo', img: 3, layer: null, tab: 'saliency' });
  });

  it('the See tab: named, else guessed from an old link, else the filters; unknown names ignored', () => {
    expect(seeTab(hashParams('#/see?tab=sanity'))).toBe('sanity');
    expect(seeTab(hashParams('#/see?run=demo&img=2'))).toBe('feature-maps');
    expect(seeTab(hashParams('#/see?tab=nonsense'))).toBe('filters');
    expect(seeTab(hashParams('#/see'))).toBe('filters');
  });
});
