"""Media: uploaded photos and videos and their processed renditions."""
