package io.flotilla.node.image;

import io.flotilla.node.runtime.ImageService;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** An in-memory {@link ImageService} for unit tests: images, a filesystem, pulls that may fail. */
final class FakeImageService implements ImageService {
  final List<Image> images = new CopyOnWriteArrayList<>();
  final List<String> pulls = new CopyOnWriteArrayList<>();
  final List<String> removed = new CopyOnWriteArrayList<>();
  long capacity = 1000;
  long available = 1000;
  RuntimeException pullFailure;

  static Image image(String id, String tag, long size) {
    return new Image(id, List.of(tag), List.of(), size, null, "");
  }

  @Override
  public Optional<Image> imageStatus(String ref) {
    return images.stream()
        .filter(i -> i.id().equals(ref) || i.repoTags().contains(ref))
        .findFirst();
  }

  @Override
  public String pullImage(String ref) {
    pulls.add(ref);
    if (pullFailure != null) {
      throw pullFailure;
    }
    images.add(image("sha256:" + ref, ref, 1));
    return "sha256:" + ref;
  }

  @Override
  public List<Image> listImages() {
    return new ArrayList<>(images);
  }

  @Override
  public void removeImage(String id) {
    images.stream()
        .filter(i -> i.id().equals(id))
        .findFirst()
        .ifPresent(
            i -> {
              images.remove(i);
              removed.add(id);
              available += i.sizeBytes();
            });
  }

  @Override
  public FsUsage imageFsUsage() {
    return new FsUsage("/var/lib/containerd", capacity - available, capacity, available);
  }
}
