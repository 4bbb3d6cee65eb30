/** Pages whose features have not landed yet say so plainly, with the issue that tracks them. */
const PLANNED: Record<string, { title: string; what: string }> = {
  share: { title: 'Share', what: 'The hosted demo link, deep links and model import/export.' },
};

export function PlannedPage({ page }: { page: keyof typeof PLANNED }) {
  const p = PLANNED[page];
  return (
    <div className="page">
      <h2>{p.title}</h2>
      <p className="card">Not built yet. Coming: {p.what} Train a model on the Train page first; it will be used here.</p>
    </div>
  );
}
