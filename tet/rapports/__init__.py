"""Documents to read away from the back-office (PDF, Word, PowerPoint): the shared parts —
WeasyPrint rendering (fonts, base stylesheet, static-only fetcher), French formats, the
download response. Each domain's reports sit in its own folder (tet/plans/rapports/,
tet/maturite/rapport.py) and build their bytes from data already scoped by the caller."""
