// Choose a photo of your own (a cat, a dog, anything else). It is cropped to its centre square, resized to 224 × 224
// and scaled to [−1, 1], exactly like the training photos, and it never leaves your browser.
wb.showUploader(model);
