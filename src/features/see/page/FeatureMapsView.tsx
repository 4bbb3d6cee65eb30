/**
 * Feature maps of one test image: per conv layer, the 16 channels with the highest mean activation (each tile
 * normalised on its own, which filter each tile is in the caption); and the filter inspector, which shows one
 * filter (picked in the filter grids, or by layer and number from the keyboard) and its feature map on the
 * chosen image, drawn exactly as its tile in the feature-map grid.
 */
import { useMemo } from 'react';
import type { FeatureMapsResult, FilterLayer } from '../shared/protocol';
import { PixelImage } from '../../../ui/PixelImage';
import { argMax } from '../../../shared/argMax';
import { GridCanvas } from './GridCanvas';
import { exportFigurePng } from './exportFigure';
import { featureMapsFigure } from './seeFigures';
import { featureMapGrid, filterGrid, strongestChannels } from './render';
import type { PickedFilter } from './FilterLayers';

const pct = (p: number) => `${(p * 100).toFixed(1)} %`;

/** "True: Asha · predicted: Bela (71.2 %)". */
export function predictionLine(result: Pick<FeatureMapsResult, 'classNames' | 'label' | 'probs'>): string {
  const predicted = argMax(result.probs);
  return `True: ${result.classNames[result.label]} · predicted: ${result.classNames[predicted]} (${pct(result.probs[predicted])})`;
}

export function FeatureMaps({ result, imageIndex }: { result: FeatureMapsResult; imageIndex: number }) {
  const grids = useMemo(
    () =>
      result.layers.map((l) => {
        const channels = strongestChannels(l, 16);
        return { layer: l, channels, grid: featureMapGrid(l, channels) };
      }),
    [result],
  );
  return (
    <section aria-label="Feature maps" className="see-feature-maps">
      <div className="see-input">
        <figure>
          <PixelImage pixels={result.image} label={`Test image ${imageIndex}`} width={128} />
          <figcaption>Test image {imageIndex}</figcaption>
        </figure>
        <div>
          <p>{predictionLine(result)}</p>
          <p className="see-note">
            Each conv layer's output for this image after its activation: the 16 filters with the highest mean
            activation, strongest first, left to right and top to bottom; each tile normalised on its own (black = its
            lowest value, white = its highest).
          </p>
          <button onClick={() => void exportFigurePng(featureMapsFigure(result, grids), 'feature-maps.png')}>
            Export PNG
          </button>
        </div>
      </div>
      <div className="see-layer-grids">
        {grids.map(({ layer, channels, grid }) => (
          <figure key={layer.name}>
            <GridCanvas
              image={grid}
              scale={Math.max(1, Math.round(96 / layer.height))}
              label={`Feature maps of ${layer.name}`}
              data={{ channels: channels.join(',') }}
            />
            <figcaption>
              <strong>{layer.name}</strong>: {layer.height}×{layer.width}, 16 strongest of {layer.channels} channels
              <br />
              <span className="see-note">filters {channels.join(', ')}</span>
            </figcaption>
          </figure>
        ))}
      </div>
    </section>
  );
}

/**
 * One filter and its feature map on the chosen image. Without that image's maps yet, a button computes them
 * (the grids' click does the same).
 */
export function FilterInspector({
  layers,
  picked,
  maps,
  imageIndex,
  busy,
  onPick,
  onShowMaps,
}: {
  layers: FilterLayer[];
  picked: PickedFilter | null;
  maps: FeatureMapsResult | null;
  imageIndex: number;
  busy: boolean;
  onPick: (p: PickedFilter) => void;
  onShowMaps: () => void;
}) {
  const current = picked ?? { layer: layers[0].name, filter: 0 };
  const layer = layers.find((l) => l.name === current.layer) ?? layers[0];
  const filter = Math.min(current.filter, layer.shape[3] - 1);
  const weights = useMemo(() => filterGridOne(layer, filter), [layer, filter]);
  const mapLayer = maps?.layers.find((l) => l.name === layer.name) ?? null;
  const map = useMemo(() => (mapLayer ? featureMapGrid(mapLayer, [filter], 1) : null), [mapLayer, filter]);
  const mean = mapLayer?.channelMeans[filter];
  const rank = mapLayer ? strongestChannels(mapLayer, mapLayer.channels).indexOf(filter) + 1 : 0;
  return (
    <aside className="card filter-inspector" aria-label="Filter inspector">
      <h3>
        {layer.name} · filter {filter}
      </h3>
      <div className="controls">
        <label>
          Inspect layer{' '}
          <select value={layer.name} onChange={(e) => onPick({ layer: e.target.value, filter: 0 })}>
            {layers.map((l) => (
              <option key={l.name}>{l.name}</option>
            ))}
          </select>
        </label>
        <label>
          Filter{' '}
          <input
            type="number"
            min={0}
            max={layer.shape[3] - 1}
            value={filter}
            onChange={(e) =>
              onPick({
                layer: layer.name,
                filter: Math.max(0, Math.min(layer.shape[3] - 1, Math.round(Number(e.target.value)) || 0)),
              })
            }
          />
        </label>
      </div>
      <div className="inspector-row">
        <figure>
          <GridCanvas
            image={weights}
            scale={96 / (weights.width || 1)}
            label={`Weights of ${layer.name} filter ${filter}`}
          />
          <figcaption>
            Weights, {layer.shape[0]}×{layer.shape[1]}
            {layer.shape[2] === 3 ? ' (colour)' : `, mean of ${layer.shape[2]} inputs`}
          </figcaption>
        </figure>
        {maps && (
          <figure>
            <PixelImage pixels={maps.image} label="" width={96} />
            <figcaption>Test image {imageIndex}</figcaption>
          </figure>
        )}
        {map && mapLayer ? (
          <figure>
            <GridCanvas
              image={map}
              scale={Math.max(1, Math.floor(160 / map.width))}
              label={`Feature map of ${layer.name} filter ${filter} on test image ${imageIndex}`}
            />
            <figcaption>
              Feature map, {mapLayer.height}×{mapLayer.width} · mean {mean?.toFixed(3)} · rank {rank} of{' '}
              {mapLayer.channels}
            </figcaption>
          </figure>
        ) : (
          <p className="see-note">
            <button disabled={busy} onClick={onShowMaps}>
              Show its feature map on test image {imageIndex}
            </button>
          </p>
        )}
      </div>
    </aside>
  );
}

/** One filter's tile as drawn in its layer's grid (same normalisation), alone. */
function filterGridOne(layer: FilterLayer, filter: number) {
  const [kh, kw, cin, cout] = layer.shape;
  const weights = new Float32Array(kh * kw * cin);
  for (let i = 0; i < kh * kw * cin; i++) weights[i] = layer.weights[i * cout + filter];
  return filterGrid({ name: layer.name, shape: [kh, kw, cin, 1], weights }, 1);
}
