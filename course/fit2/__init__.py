"""Galaxy Fit2 lab tools: synthetic Samsung Health exports, a loader, cleaning and dataset tools."""
