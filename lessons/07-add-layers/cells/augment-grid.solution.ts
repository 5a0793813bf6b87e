// One training photo and 8 augmented versions: each version tosses the flip coin, then rotates, then crops, all drawn
// from its own seeded random numbers, so this grid is the same every time you run it (change the seed for others).
display(await wb.augment.grid(augmentations, 'cat/Egyptian_Mau_10.jpg', { count: 8, seed: 1 }));
