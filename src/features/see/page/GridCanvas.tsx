/**
 * Draws a GridImage on a canvas, scaled up with crisp pixels. With `onTile`, pointing at a tile of a grid
 * (hover, click) reports which tile it is (null when the pointer leaves), and `highlight` outlines one tile.
 */
import { useEffect, useRef, type MouseEvent } from 'react';
import { tileAt, type GridImage } from './render';

export function GridCanvas({
  image,
  scale,
  label,
  onTile,
  highlight,
  data,
}: {
  image: GridImage;
  scale: number;
  label: string;
  onTile?: (tile: number | null, how: 'hover' | 'click') => void;
  highlight?: number | null;
  /** Extra data-* attributes (e.g. which channels the tiles show), for tests and tools reading the page. */
  data?: Record<string, string>;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    ctx.putImageData(new ImageData(new Uint8ClampedArray(image.rgba), image.width, image.height), 0, 0);
  }, [image]);
  const tileOf = (e: MouseEvent<HTMLCanvasElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    return tileAt(
      image,
      ((e.clientX - r.left) * image.width) / r.width,
      ((e.clientY - r.top) * image.height) / r.height,
    );
  };
  const canvas = (
    <canvas
      ref={ref}
      width={image.width}
      height={image.height}
      role="img"
      aria-label={label}
      data-tiles={image.tiles}
      {...Object.fromEntries(Object.entries(data ?? {}).map(([k, v]) => [`data-${k}`, v]))}
      className={onTile ? 'pixel-image pickable' : 'pixel-image'}
      style={{ width: image.width * scale, maxWidth: '100%' }}
      onClick={onTile && ((e) => onTile(tileOf(e), 'click'))}
      onMouseMove={onTile && ((e) => onTile(tileOf(e), 'hover'))}
      onMouseLeave={onTile && (() => onTile(null, 'hover'))}
    />
  );
  if (!onTile) return canvas;
  const shown = highlight != null && image.cols && image.tileSize && highlight < image.tiles;
  if (!shown) return <span className="grid-canvas-wrap">{canvas}</span>;
  // The outline sits over the canvas in percentages of its size, so it follows the canvas when it shrinks.
  const step = image.tileSize! + 1;
  const box = {
    left: `${((highlight % image.cols!) * step * 100) / image.width}%`,
    top: `${(Math.floor(highlight / image.cols!) * step * 100) / image.height}%`,
    width: `${((step + 1) * 100) / image.width}%`,
    height: `${((step + 1) * 100) / image.height}%`,
  };
  return (
    <span className="grid-canvas-wrap">
      {canvas}
      <span className="tile-highlight" style={box} aria-hidden />
    </span>
  );
}
