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
