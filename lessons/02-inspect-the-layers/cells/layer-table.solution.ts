// The layers, grouped: the stem, 13 blocks, and the classifier. Click a group to open or close it.
wb.layers.show(model, { open: ['stem', 'block 1', 'classifier'] });
