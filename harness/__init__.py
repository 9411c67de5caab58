"""Library code of the Business Central OAuth end-to-end harness."""
