package io.flotilla.node.runtime.cri;

import io.flotilla.node.runtime.ImageService;
import io.flotilla.node.runtime.cri.v1.FilesystemUsage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The Runtime SPI's {@link ImageService} over CRI's: image status, pull, list, remove, and the
 * image filesystem's usage (ImageFsInfo's used bytes; the capacity from the file system at its
 * mount point, as kubelet gets it from cadvisor).
 *
 * <p>Threading: thread-safe (the client is).
 */
final class CriImageService implements ImageService {
  private final CriClient cri;

  CriImageService(CriClient cri) {
    this.cri = cri;
  }

  @Override
  public Optional<Image> imageStatus(String ref) {
    return cri.imageStatus(ref).map(CriImageService::image);
  }

  @Override
  public String pullImage(String ref) {
    return cri.pullImage(ref);
  }

  @Override
  public List<ImageService.Image> listImages() {
    return cri.listImages().stream().map(CriImageService::image).toList();
  }

  @Override
  public void removeImage(String id) {
    try {
      cri.removeImage(id);
    } catch (CriException e) {
      if (!e.isNotFound()) {
        throw e;
      }
    }
  }

  @Override
  public FsUsage imageFsUsage() {
    List<FilesystemUsage> fs = cri.imageFsInfo().getImageFilesystemsList();
    if (fs.isEmpty()) {
      return new FsUsage("", 0, 0, 0);
    }
    FilesystemUsage u = fs.getFirst();
    String mount = u.getFsId().getMountpoint();
    long capacity = 0;
    long available = 0;
    try {
      if (!mount.isEmpty()) {
        var store = Files.getFileStore(Path.of(mount));
        capacity = store.getTotalSpace();
        available = store.getUsableSpace();
      }
    } catch (IOException e) {
      capacity = 0;
    }
    return new FsUsage(mount, u.getUsedBytes().getValue(), capacity, available);
  }

  private static ImageService.Image image(io.flotilla.node.runtime.cri.v1.Image i) {
    return new ImageService.Image(
        i.getId(),
        i.getRepoTagsList(),
        i.getRepoDigestsList(),
        i.getSize(),
        i.hasUid() ? i.getUid().getValue() : null,
        i.getUsername());
  }
}
