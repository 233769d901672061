"""What each page shows, read in one transaction: the pages call one of these and render it."""
