// The first layer, conv1: each filter looks at 3×3 pixels of the photo, in red, green and blue.
wb.pictures.filters(model)
