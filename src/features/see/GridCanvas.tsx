/** Draws a GridImage on a canvas, scaled up with crisp pixels. */
import { useEffect, useRef } from 'react';
import type { GridImage } from './render';

export function GridCanvas({ image, scale, label }: { image: GridImage; scale: number; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    ctx.putImageData(new ImageData(new Uint8ClampedArray(image.rgba), image.width, image.height), 0, 0);
  }, [image]);
  return (
    <canvas
      ref={ref}
      width={image.width}
      height={image.height}
      role="img"
      aria-label={label}
      data-tiles={image.tiles}
      className="pixel-image"
      style={{ width: image.width * scale, maxWidth: '100%' }}
    />
  );
}
