import { expect } from '@playwright/test';

// Contrasting taste profiles for the taste check (docs/BENCHMARKS.md, "Taste"): each is made through the UI by
// searching a query and adding the movie with that id (ml-latest-small ids), as a person would.
// `taste` says which recommendations count as in the profile's taste: any of `genres`, or a year before `before`.
export const TASTE_PROFILES = [
  {
    name: 'Ghibli and anime',
    taste: { genres: ['Animation'] },
    movies: [
      ['Spirited Away', 5618],
      ['Princess Mononoke', 3000],
      ['My Neighbor Totoro', 5971],
      ["Howl's Moving Castle", 31658],
      ["Kiki's Delivery Service", 26662],
      ['Castle in the Sky', 6350],
      ['Nausicaä of the Valley of the Wind', 7099],
      ['Porco Rosso', 26776],
      ['Grave of the Fireflies', 5690],
      ['Ponyo', 65261],
      ['Akira', 1274],
      ['Ghost in the Shell', 741],
      ['Perfect Blue', 2810],
      ['Cowboy Bebop: The Movie', 6283],
      ['Paprika', 52885],
      ['Tokyo Godfathers', 8607],
      ['Whisper of the Heart', 26903],
      ['Secret World of Arrietty', 83132],
      ['Wind Rises', 104283],
      ['Ninja Scroll', 6857],
      ['Your Name.', 163134],
      ['Wolf Children', 101962],
      ['Millennium Actress', 6713],
      ['Vampire Hunter D: Bloodlust', 5146],
    ],
  },
  {
    name: 'Pixar and Disney',
    taste: { genres: ['Animation'] },
    movies: [
      ['Toy Story 2', 3114],
      ['Finding Nemo', 6377],
      ['Monsters, Inc.', 4886],
      ['Up', 68954],
      ['WALL·E', 60069],
      ['Ratatouille', 50872],
      ['Incredibles', 8961],
      ['Inside Out', 134853],
      ['Cars', 45517],
      ['Toy Story 3', 78499],
      ['Zootopia', 152081],
      ['Monsters University', 103141],
      ['Tangled', 81847],
      ['Moana', 166461],
      ['Lion King', 364],
      ['Aladdin', 588],
      ['Beauty and the Beast', 595],
      ['Little Mermaid', 2081],
      ['Mulan', 1907],
      ['Lilo & Stitch', 5444],
      ["Bug's Life", 2355],
      ['Hercules', 1566],
      ['Big Hero 6', 115617],
      ['Wreck-It Ralph', 97913],
    ],
  },
  {
    name: 'Horror',
    taste: { genres: ['Horror'] },
    movies: [
      ['Exorcist', 1997],
      ['Halloween', 1982],
      ['Shining', 1258],
      ['Texas Chainsaw Massacre', 2459],
      ['Nightmare on Elm Street', 1347],
      ['Evil Dead', 4105],
      ['Evil Dead II', 1261],
      ['Friday the 13th', 1974],
      ['Scream', 1407],
      ['Ring', 5679],
      ['Saw', 8957],
      ['Conjuring', 103688],
      ['Insidious', 85788],
      ['Paranormal Activity', 71379],
      ['Blair Witch Project', 2710],
      ['Poltergeist', 1994],
      ['Omen', 1350],
      ['It Follows', 121231],
      ['Babadook', 112515],
      ['Night of the Living Dead', 968],
      ['Dawn of the Dead', 7387],
      ['Carrie', 1345],
      ['Hellraiser', 3917],
      ['Thing', 2288],
    ],
  },
  {
    name: 'Classic Hollywood',
    taste: { before: 1965 },
    movies: [
      ['Casablanca', 912],
      ['Citizen Kane', 923],
      ['Maltese Falcon', 913],
      ['Rear Window', 904],
      ['Vertigo', 903],
      ['North by Northwest', 908],
      ['Some Like It Hot', 910],
      ['Sunset Blvd.', 922],
      ['Double Indemnity', 3435],
      ["It's a Wonderful Life", 953],
      ['Wizard of Oz', 919],
      ['Gone with the Wind', 920],
      ["Singin' in the Rain", 899],
      ['Roman Holiday', 916],
      ['12 Angry Men', 1203],
      ['Philadelphia Story', 898],
      ['Third Man', 1212],
      ['All About Eve', 926],
      ['African Queen', 969],
      ['Rebecca', 928],
      ['Notorious', 930],
      ['Bringing Up Baby', 955],
      ['Treasure of the Sierra Madre', 1254],
      ['Strangers on a Train', 2186],
    ],
  },
];

/** Whether a movie ({ year, genres }) is in `taste`. */
export function inTaste(taste, movie) {
  if (taste.before !== undefined) return movie.year !== null && movie.year < taste.before;
  return movie.genres.some((genre) => taste.genres.includes(genre));
}

/** The movies a list shows: id, title, year and genres as MovieLine prints them ("Toy Story (1995)", "Animation, Children · IMDb"). */
export async function listedMovies(list) {
  return list.getByTestId('movie').evaluateAll((nodes) =>
    nodes.map((node) => {
      const title = node.querySelector('.title');
      const year = title.querySelector('.year')?.textContent.match(/\d{4}/)?.[0];
      const details = node.querySelector('.details').textContent.replace('year unknown ·', '');
      return {
        movieId: Number(node.dataset.movieId),
        title: [...title.childNodes]
          .filter((child) => child.nodeType === Node.TEXT_NODE)
          .map((child) => child.textContent)
          .join('')
          .trim(),
        year: year ? Number(year) : null,
        genres: details
          .split('·')[0]
          .split(',')
          .map((genre) => genre.trim()),
      };
    }),
  );
}

/** Makes `profile` through the Profiles and History pages (each movie found by its query) and finishes its history. */
export async function makeTasteProfile(page, profile) {
  await page.goto('#/profiles');
  await page.getByTestId('new-profile-name').fill(profile.name);
  await page.getByRole('button', { name: 'Create profile' }).click();
  await expect(page.getByRole('heading', { name: 'History' })).toBeVisible();
  for (const [i, [query, movieId]] of profile.movies.entries()) {
    await page.getByTestId('movie-search').fill(query);
    const result = page.getByTestId('search-results').locator(`[data-movie-id="${movieId}"]`);
    try {
      await expect(result).toBeVisible({ timeout: 10_000 });
    } catch {
      throw new Error(`searching "${query}" did not list movie ${movieId}`);
    }
    await result.getByRole('button', { name: /^Add / }).click();
    await expect(page.getByTestId('history-count')).toContainText(`${i + 1} seen`);
  }
  await page.getByTestId('finish-history').click();
  await expect(page.getByRole('heading', { name: 'Train' })).toBeVisible();
}
