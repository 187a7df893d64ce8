"""Pipeline stages, one class per module, run by Scrapy in the order of ``ITEM_PIPELINES``.

Cheap checks come first: a URL already stored is dropped before trafilatura ever sees it.
The gaps leave room for stages added later, as Scrapy's own ``DOWNLOADER_MIDDLEWARES_BASE`` does.
"""

ITEM_PIPELINES: dict[str, int] = {
    "pipelines.normalize.NormalizeUrlStage": 100,
    "pipelines.skip_stored.SkipStoredStage": 200,
    "pipelines.extract.ExtractStage": 300,
    "pipelines.clean_text.CleanTextStage": 350,
    "pipelines.near_duplicate.NearDuplicateStage": 500,
    "pipelines.match.MatchStage": 600,
    "pipelines.store.StoreStage": 900,
}

# A dry run (``monitor crawl URL --dry-run``, ``monitor sources test``): the same stages in the same
# order, the last one keeping what would be stored instead of writing it.
STORE_STAGE = "pipelines.store.StoreStage"
PREVIEW_SINK = "pipelines.preview_sink.PreviewSink"


def dry_run_pipelines(pipelines: dict[str, int]) -> dict[str, int]:
    """``pipelines`` with the store stage swapped for the preview sink, at the store stage's place."""
    order = pipelines.get(STORE_STAGE, ITEM_PIPELINES[STORE_STAGE])
    return {**{path: n for path, n in pipelines.items() if path != STORE_STAGE}, PREVIEW_SINK: order}
