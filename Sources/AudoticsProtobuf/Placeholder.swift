// Placeholder: filled in by issue #2 work in progress.
