// The stamp kind's script: it marks the page, so a test can see that it loaded.
document.documentElement.dataset.stamp = "loaded";
