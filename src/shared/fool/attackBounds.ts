/** The bounds an attack projects onto, for a batch of images (worker and page share it). */
import type { AttackSettings } from './attackSettings';
import type { PixelBounds } from './bounds';
import { linfBounds, ruleBounds } from './bounds';

export function attackBounds(settings: AttackSettings, originals: ArrayLike<number>): PixelBounds {
  return settings.attack === 'paper'
    ? ruleBounds(originals, settings.rule, settings.fraction, settings.quantised)
    : linfBounds(originals, settings.epsilon, settings.quantised);
}
