"""A plan's reports: the bilan (PDF, Word, PowerPoint) and the fiches as PDF (one, or a
batch of a plan's). ``selection`` says which fiches (options of the plan page's form, the
acteur's scope), ``donnees`` loads them in a fixed number of queries, one module per
format turns them into bytes."""
