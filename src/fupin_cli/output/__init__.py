"""What people and scripts read: the Document model, views of reports, and the format registry."""
