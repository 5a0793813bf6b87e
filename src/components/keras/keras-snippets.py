# The Keras side of the Keras map page (src/pages/keras.astro): the lines of the Deep Learning
# Specialization's course 4 week 2 assignment (MobileNetV2, abridged), one `# region <id>` …
# `# endregion` block per mapped idea. Shown, never run: the page cuts each block out at build time
# (snippet.ts). Lines inside regions stay under 66 characters, so the two columns of code fit.
import tensorflow as tf

# region cut
base_model = tf.keras.applications.MobileNetV2(
    input_shape=IMG_SHAPE,
    include_top=False,      # no classifier, no pooling
    weights='imagenet')
# endregion

# region preprocess
preprocess_input = \
    tf.keras.applications.mobilenet_v2.preprocess_input
x = preprocess_input(x)     # 0…255 → −1…1
# endregion

# region decode-predictions
# the full model, with its 1000-way classifier
model = tf.keras.applications.MobileNetV2(weights='imagenet')
decode_predictions = \
    tf.keras.applications.mobilenet_v2.decode_predictions
probs = model.predict(x)        # [1, 1000]
# per photo: (WordNet id, name, probability), best first
top3 = decode_predictions(probs, top=3)[0]
wordnet_id, name, p = top3[0]  # 'n02124075', 'Egyptian_cat
# endregion

# region trainable
base_model.trainable = False
# endregion

# region training-false
# BatchNorm uses its moving statistics
x = base_model(x, training=False)
# endregion

# region gap
x = tf.keras.layers.GlobalAveragePooling2D()(x)
# endregion

# region head
inputs = tf.keras.Input(shape=input_shape)
x = data_augmentation(inputs)
x = preprocess_input(x)
x = base_model(x, training=False)
x = tf.keras.layers.GlobalAveragePooling2D()(x)
x = tf.keras.layers.Dropout(0.2)(x)
# one logit (alpaca or not); the workbook has 3 classes
outputs = tf.keras.layers.Dense(1)(x)
model = tf.keras.Model(inputs, outputs)
# endregion

# region initializer
# Dense starts its kernel from Glorot uniform by default;
# a seed draws the same start on every run
init = tf.keras.initializers.GlorotUniform(seed=12)
outputs = tf.keras.layers.Dense(
    3, kernel_initializer=init, bias_initializer='zeros')(x)
# endregion

# region hidden
# "if results are weak, add layers": a hidden layer
x = tf.keras.layers.GlobalAveragePooling2D()(x)
x = tf.keras.layers.Dense(128, activation='relu')(x)
x = tf.keras.layers.Dropout(0.5)(x)
outputs = tf.keras.layers.Dense(3)(x)
# endregion

# region loss
# Dense(1), two classes (the course):
loss = tf.keras.losses.BinaryCrossentropy(from_logits=True)
# Dense(3), one-hot labels (the workbook's three classes):
loss = tf.keras.losses.CategoricalCrossentropy(
    from_logits=True)
# endregion

# region loop
model.compile(
    optimizer=tf.keras.optimizers.Adam(
        learning_rate=base_learning_rate),
    loss=tf.keras.losses.BinaryCrossentropy(from_logits=True),
    metrics=['accuracy'])
history = model.fit(train_dataset,
                    validation_data=validation_dataset,
                    epochs=initial_epochs)
# endregion

# region tape
with tf.GradientTape() as tape:
    logits = model(x, training=True)
    loss = loss_fn(y, logits)
grads = tape.gradient(loss, model.trainable_variables)
optimizer.apply_gradients(
    zip(grads, model.trainable_variables))
# endregion

# region fine-tune-at
base_model.trainable = True
fine_tune_at = 120          # the first layer that trains
# layers 0 … 119 stay frozen
for layer in base_model.layers[:fine_tune_at]:
    layer.trainable = False
# 10× smaller steps for fine-tuning
learning_rate = 0.1 * base_learning_rate
# endregion

# region memory
# a NumPy array: Python frees it when nothing refers to it
probs = model.predict(x)
class_id = int(probs.argmax(-1)[0])
# endregion

# region augment
data_augmentation = tf.keras.Sequential([
    tf.keras.layers.RandomFlip('horizontal'),
    # up to ±20 % of a full turn
    tf.keras.layers.RandomRotation(0.2),
])
# endregion
