"""The dataset builder that reports and exports share: one frame per scope, one column per item, option or fact."""
